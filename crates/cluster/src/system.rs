//! `kube-system` as kubeadm leaves it: the control plane's static pods on the control-plane
//! node (etcd, kube-apiserver, kube-controller-manager, kube-scheduler — mirror pods owned by
//! their Node), kube-proxy as a DaemonSet on every node, CoreDNS as a two-replica Deployment
//! behind the `kube-dns` Service at 10.96.0.10, their ServiceAccounts and ConfigMaps, and (as
//! kind adds) the default StorageClass `standard`; ingress-nginx in its own namespace with the
//! default IngressClass `nginx` behind a LoadBalancer Service; and metrics-server (the resource
//! metrics API for `kubectl top` and the HorizontalPodAutoscaler).
//! [`Cluster::new`](crate::Cluster::new) creates them and lets the cluster run for
//! [`BOOT_SECONDS`] so that a new cluster is up and settled, as one is when a tutorial starts.

use crate::nodes::{node_address, ClusterShape, KUBELET_VERSION};

/// How long a new cluster has been running when the user gets it.
pub const BOOT_SECONDS: u64 = 300;

/// The control-plane components' static pods, for the control-plane node `node` (index 0).
fn static_pod(component: &str, node: &str, image: &str, command: &str, cpu: &str) -> String {
    let ip = node_address(0);
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {component}-{node}
  namespace: kube-system
  labels:
    component: {component}
    tier: control-plane
  annotations:
    kubernetes.io/config.mirror: {component}-static
    kubernetes.io/config.source: file
    kubernetes.io/config.seen: \"2025-12-31T23:55:00.000000000Z\"
spec:
  nodeName: {node}
  hostNetwork: true
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  tolerations:
  - operator: Exists
    effect: NoExecute
  containers:
  - name: {component}
    image: {image}
    command: [{command}, --advertise-address={ip}]
    resources:
      requests:
        cpu: {cpu}
"
    )
}

/// Every kube-system object, as YAML documents, for the given shape.
pub fn manifests(shape: &ClusterShape) -> Vec<String> {
    let mut documents = Vec::new();
    let version = KUBELET_VERSION;
    if let Some(control_plane) = shape.nodes.iter().find(|n| n.control_plane) {
        let node = &control_plane.name;
        documents.push(static_pod(
            "etcd",
            node,
            "registry.k8s.io/etcd:3.6.4-0",
            "etcd",
            "100m",
        ));
        documents.push(static_pod(
            "kube-apiserver",
            node,
            &format!("registry.k8s.io/kube-apiserver:{version}"),
            "kube-apiserver",
            "250m",
        ));
        documents.push(static_pod(
            "kube-controller-manager",
            node,
            &format!("registry.k8s.io/kube-controller-manager:{version}"),
            "kube-controller-manager",
            "200m",
        ));
        documents.push(static_pod(
            "kube-scheduler",
            node,
            &format!("registry.k8s.io/kube-scheduler:{version}"),
            "kube-scheduler",
            "100m",
        ));
    }
    // The default StorageClass, as kind installs it (its provisioner is simulated by the
    // PersistentVolume controller).
    documents.push(
        "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: \"true\"
provisioner: rancher.io/local-path
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
"
        .to_string(),
    );
    documents.extend(ingress_nginx());
    for account in ["coredns", "kube-proxy"] {
        documents.push(format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {account}\n  namespace: kube-system\n"));
    }
    documents.push(
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        errors
        health {
           lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        prometheus :9153
        forward . /etc/resolv.conf {
           max_concurrent 1000
        }
        cache 30
        loop
        reload
        loadbalance
    }
"
        .to_string(),
    );
    documents.push(format!(
        "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-proxy
  namespace: kube-system
  labels:
    k8s-app: kube-proxy
spec:
  selector:
    matchLabels:
      k8s-app: kube-proxy
  template:
    metadata:
      labels:
        k8s-app: kube-proxy
    spec:
      serviceAccountName: kube-proxy
      hostNetwork: true
      priorityClassName: system-node-critical
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
      - operator: Exists
      containers:
      - name: kube-proxy
        image: registry.k8s.io/kube-proxy:{version}
        command: [/usr/local/bin/kube-proxy, --config=/var/lib/kube-proxy/config.conf, --hostname-override=$(NODE_NAME)]
        env:
        - name: NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        securityContext:
          privileged: true
"
    ));
    documents.push(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  replicas: 2
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
  selector:
    matchLabels:
      k8s-app: kube-dns
  template:
    metadata:
      labels:
        k8s-app: kube-dns
    spec:
      priorityClassName: system-cluster-critical
      serviceAccountName: coredns
      tolerations:
      - key: CriticalAddonsOnly
        operator: Exists
      - key: node-role.kubernetes.io/control-plane
        effect: NoSchedule
      nodeSelector:
        kubernetes.io/os: linux
      containers:
      - name: coredns
        image: registry.k8s.io/coredns/coredns:v1.12.1
        args: [-conf, /etc/coredns/Corefile]
        resources:
          limits:
            memory: 170Mi
          requests:
            cpu: 100m
            memory: 70Mi
        ports:
        - containerPort: 53
          name: dns
          protocol: UDP
        - containerPort: 53
          name: dns-tcp
          protocol: TCP
        - containerPort: 9153
          name: metrics
          protocol: TCP
        volumeMounts:
        - name: config-volume
          mountPath: /etc/coredns
          readOnly: true
      dnsPolicy: Default
      volumes:
      - name: config-volume
        configMap:
          name: coredns
          items:
          - key: Corefile
            path: Corefile
"
        .to_string(),
    );
    documents.push(
        "apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
    kubernetes.io/cluster-service: \"true\"
    kubernetes.io/name: CoreDNS
  annotations:
    prometheus.io/port: \"9153\"
    prometheus.io/scrape: \"true\"
spec:
  selector:
    k8s-app: kube-dns
  clusterIP: 10.96.0.10
  ports:
  - name: dns
    port: 53
    protocol: UDP
    targetPort: 53
  - name: dns-tcp
    port: 53
    protocol: TCP
    targetPort: 53
  - name: metrics
    port: 9153
    protocol: TCP
    targetPort: 9153
"
        .to_string(),
    );
    documents.extend(metrics_server());
    documents.extend(local_path_storage());
    documents
}

/// kind's local-path-provisioner (namespace `local-path-storage`): the pod behind the `standard`
/// class. While it runs, the PersistentVolume controller provisions `rancher.io/local-path`
/// claims in its name; without it they wait, as on kind. No probes (an idle cluster stays idle).
fn local_path_storage() -> Vec<String> {
    vec![
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: local-path-storage\n".to_string(),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: local-path-provisioner-service-account\n  namespace: local-path-storage\n".to_string(),
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: local-path-config
  namespace: local-path-storage
data:
  config.json: |-
    {
            \"nodePathMap\":[
            {
                    \"node\":\"DEFAULT_PATH_FOR_NON_LISTED_NODES\",
                    \"paths\":[\"/var/local-path-provisioner\"]
            }
            ]
    }
  setup: |-
    #!/bin/sh
    set -eu
    mkdir -m 0777 -p \"$VOL_DIR\"
  teardown: |-
    #!/bin/sh
    set -eu
    rm -rf \"$VOL_DIR\"
"
        .to_string(),
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: local-path-provisioner
  namespace: local-path-storage
spec:
  replicas: 1
  selector:
    matchLabels:
      app: local-path-provisioner
  template:
    metadata:
      labels:
        app: local-path-provisioner
    spec:
      containers:
      - command:
        - local-path-provisioner
        - --debug
        - start
        - --helper-image
        - docker.io/kindest/local-path-helper:v20241212-8ac705d0
        - --config
        - /etc/config/config.json
        env:
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: CONFIG_MOUNT_PATH
          value: /etc/config/
        image: docker.io/kindest/local-path-provisioner:v20241212-8ac705d0
        imagePullPolicy: IfNotPresent
        name: local-path-provisioner
        volumeMounts:
        - mountPath: /etc/config/
          name: config-volume
      nodeSelector:
        kubernetes.io/os: linux
      priorityClassName: system-node-critical
      serviceAccountName: local-path-provisioner-service-account
      tolerations:
      - effect: NoSchedule
        key: node-role.kubernetes.io/control-plane
        operator: Equal
      volumes:
      - configMap:
          name: local-path-config
        name: config-volume
"
        .to_string(),
    ]
}

/// metrics-server as its `components.yaml` installs it (with `--kubelet-insecure-tls`, as
/// kind clusters need): the resource metrics API behind `kubectl top` and the
/// HorizontalPodAutoscaler. No probes, like CoreDNS here (an idle cluster stays idle).
fn metrics_server() -> Vec<String> {
    vec![
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: metrics-server\n  namespace: kube-system\n  labels:\n    k8s-app: metrics-server\n".to_string(),
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: metrics-server
  namespace: kube-system
  labels:
    k8s-app: metrics-server
spec:
  selector:
    matchLabels:
      k8s-app: metrics-server
  strategy:
    rollingUpdate:
      maxUnavailable: 0
  template:
    metadata:
      labels:
        k8s-app: metrics-server
    spec:
      priorityClassName: system-cluster-critical
      serviceAccountName: metrics-server
      nodeSelector:
        kubernetes.io/os: linux
      containers:
      - name: metrics-server
        image: registry.k8s.io/metrics-server/metrics-server:v0.8.0
        args:
        - --cert-dir=/tmp
        - --secure-port=10250
        - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
        - --kubelet-use-node-status-port
        - --metric-resolution=15s
        - --kubelet-insecure-tls
        ports:
        - containerPort: 10250
          name: https
          protocol: TCP
        resources:
          requests:
            cpu: 100m
            memory: 200Mi
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          runAsUser: 1000
"
        .to_string(),
        "apiVersion: v1
kind: Service
metadata:
  name: metrics-server
  namespace: kube-system
  labels:
    k8s-app: metrics-server
spec:
  selector:
    k8s-app: metrics-server
  ports:
  - name: https
    port: 443
    protocol: TCP
    targetPort: https
"
        .to_string(),
    ]
}

/// ingress-nginx as its install manifest leaves it: the namespace, the controller's
/// ServiceAccount, the default IngressClass `nginx`, the controller Deployment and its
/// LoadBalancer Service `ingress-nginx-controller` (plus the admission webhook's Service). Like
/// CoreDNS here, the controller has no probes: a probe is a wake-up every ten seconds, and an
/// idle cluster stays idle until the user does something.
fn ingress_nginx() -> Vec<String> {
    let labels = "app.kubernetes.io/component: controller
    app.kubernetes.io/instance: ingress-nginx
    app.kubernetes.io/name: ingress-nginx";
    vec![
        "apiVersion: v1
kind: Namespace
metadata:
  name: ingress-nginx
  labels:
    app.kubernetes.io/instance: ingress-nginx
    app.kubernetes.io/name: ingress-nginx
"
        .to_string(),
        "apiVersion: v1
kind: ServiceAccount
metadata:
  name: ingress-nginx
  namespace: ingress-nginx
"
        .to_string(),
        format!(
            "apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: \"true\"
  labels:
    {labels}
spec:
  controller: k8s.io/ingress-nginx
"
        ),
        format!(
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels:
    {labels}
spec:
  replicas: 1
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app.kubernetes.io/component: controller
      app.kubernetes.io/instance: ingress-nginx
      app.kubernetes.io/name: ingress-nginx
  template:
    metadata:
      labels:
        app.kubernetes.io/component: controller
        app.kubernetes.io/instance: ingress-nginx
        app.kubernetes.io/name: ingress-nginx
    spec:
      serviceAccountName: ingress-nginx
      nodeSelector:
        kubernetes.io/os: linux
      terminationGracePeriodSeconds: 300
      containers:
      - name: controller
        image: registry.k8s.io/ingress-nginx/controller:v1.12.1
        args:
        - /nginx-ingress-controller
        - --publish-service=$(POD_NAMESPACE)/ingress-nginx-controller
        - --election-id=ingress-nginx-leader
        - --controller-class=k8s.io/ingress-nginx
        - --ingress-class=nginx
        - --validating-webhook=:8443
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        ports:
        - containerPort: 80
          name: http
          protocol: TCP
        - containerPort: 443
          name: https
          protocol: TCP
        - containerPort: 8443
          name: webhook
          protocol: TCP
        resources:
          requests:
            cpu: 100m
            memory: 90Mi
"
        ),
        format!(
            "apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels:
    {labels}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app.kubernetes.io/component: controller
    app.kubernetes.io/instance: ingress-nginx
    app.kubernetes.io/name: ingress-nginx
  ports:
  - name: http
    port: 80
    targetPort: http
    protocol: TCP
  - name: https
    port: 443
    targetPort: https
    protocol: TCP
"
        ),
        format!(
            "apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller-admission
  namespace: ingress-nginx
  labels:
    {labels}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/component: controller
    app.kubernetes.io/instance: ingress-nginx
    app.kubernetes.io/name: ingress-nginx
  ports:
  - name: https-webhook
    port: 443
    targetPort: webhook
"
        ),
    ]
}
