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

/// A hostPath volume of a static pod: name, path, type, and whether its mount is read-only.
struct HostPathVolume {
    name: &'static str,
    path: &'static str,
    file: bool,
    read_only: bool,
}

const fn host_path(name: &'static str, path: &'static str, read_only: bool) -> HostPathVolume {
    HostPathVolume {
        name,
        path,
        file: false,
        read_only,
    }
}

/// The CA-certificate and PKI directories kubeadm mounts into the API server and the
/// controller-manager on kind's Debian-based node image (sorted by name, as kubeadm sorts).
const CERTIFICATE_VOLUMES: [HostPathVolume; 4] = [
    host_path("ca-certs", "/etc/ssl/certs", true),
    host_path("etc-ca-certificates", "/etc/ca-certificates", true),
    host_path("k8s-certs", "/etc/kubernetes/pki", true),
    host_path(
        "usr-local-share-ca-certificates",
        "/usr/local/share/ca-certificates",
        true,
    ),
];
const USR_SHARE_CA_CERTIFICATES: HostPathVolume = host_path(
    "usr-share-ca-certificates",
    "/usr/share/ca-certificates",
    true,
);

/// One control-plane component as kubeadm writes its static pod to /etc/kubernetes/manifests
/// on a kind node: its command (flags sorted by name, as kubeadm sorts them), its probes on a
/// named `probe-port`, requests and hostPath volumes.
struct ControlPlaneComponent {
    component: &'static str,
    image: String,
    command: Vec<String>,
    /// Where the probes go (`host`), how, and on which port.
    probe_host: String,
    probe_scheme: &'static str,
    probe_port: u16,
    liveness_path: &'static str,
    readiness_path: Option<&'static str>,
    startup_path: &'static str,
    cpu: &'static str,
    memory: Option<&'static str>,
    /// Volumes (in kubeadm's order) and, separately, the order of their mounts.
    volumes: Vec<HostPathVolume>,
    mount_order: Vec<&'static str>,
    annotation: Option<(&'static str, String)>,
}

/// A stand-in for the kubelet's md5 of the static pod file (`kubernetes.io/config.hash`):
/// 32 hex digits, the same for the same component on the same node.
fn config_hash(component: &str, node: &str) -> String {
    let fnv = |salt: u64| {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
        for byte in component.bytes().chain(*b"/").chain(node.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash
    };
    format!("{:016x}{:016x}", fnv(1), fnv(2))
}

impl ControlPlaneComponent {
    fn manifest(&self, node: &str) -> String {
        let component = self.component;
        let hash = config_hash(component, node);
        let mut yaml = format!(
            "apiVersion: v1
kind: Pod
metadata:
  name: {component}-{node}
  namespace: kube-system
  labels:
    component: {component}
    tier: control-plane
  annotations:
"
        );
        if let Some((key, value)) = &self.annotation {
            yaml.push_str(&format!("    {key}: {value}\n"));
        }
        yaml.push_str(&format!(
            "    kubernetes.io/config.hash: \"{hash}\"
    kubernetes.io/config.mirror: \"{hash}\"
    kubernetes.io/config.seen: \"2025-12-31T23:55:00.000000000Z\"
    kubernetes.io/config.source: file
spec:
  nodeName: {node}
  hostNetwork: true
  priority: 2000001000
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
    imagePullPolicy: IfNotPresent
    command:
",
            image = self.image
        ));
        for word in &self.command {
            yaml.push_str(&format!("    - \"{word}\"\n"));
        }
        let probe =
            |kind: &str, path: &str, initial_delay: Option<u32>, failures: u32, period: u32| {
                let mut text = format!(
                    "    {kind}:
      failureThreshold: {failures}
      httpGet:
        host: {host}
        path: {path}
        port: probe-port
        scheme: {scheme}
",
                    host = self.probe_host,
                    scheme = self.probe_scheme
                );
                if let Some(delay) = initial_delay {
                    text.push_str(&format!("      initialDelaySeconds: {delay}\n"));
                }
                text.push_str(&format!(
                    "      periodSeconds: {period}\n      timeoutSeconds: 15\n"
                ));
                text
            };
        yaml.push_str(&probe("livenessProbe", self.liveness_path, Some(10), 8, 10));
        if let Some(path) = self.readiness_path {
            yaml.push_str(&probe("readinessProbe", path, None, 3, 1));
        }
        yaml.push_str(&probe("startupProbe", self.startup_path, Some(10), 24, 10));
        yaml.push_str(&format!(
            "    ports:
    - containerPort: {port}
      name: probe-port
      protocol: TCP
    resources:
      requests:
        cpu: {cpu}
",
            port = self.probe_port,
            cpu = self.cpu
        ));
        if let Some(memory) = self.memory {
            yaml.push_str(&format!("        memory: {memory}\n"));
        }
        yaml.push_str("    volumeMounts:\n");
        for name in &self.mount_order {
            if let Some(volume) = self.volumes.iter().find(|v| v.name == *name) {
                yaml.push_str(&format!(
                    "    - mountPath: {}\n      name: {}\n",
                    volume.path, volume.name
                ));
                if volume.read_only {
                    yaml.push_str("      readOnly: true\n");
                }
            }
        }
        yaml.push_str("  volumes:\n");
        for volume in &self.volumes {
            yaml.push_str(&format!(
                "  - name: {}\n    hostPath:\n      path: {}\n      type: {}\n",
                volume.name,
                volume.path,
                if volume.file {
                    "FileOrCreate"
                } else {
                    "DirectoryOrCreate"
                }
            ));
        }
        yaml
    }
}

/// The four control-plane static pods kubeadm writes on the control-plane node `node`
/// (address `ip`), as a kind cluster has them.
fn control_plane_components(node: &str, ip: &str, version: &str) -> Vec<ControlPlaneComponent> {
    let flags = |binary: &str, flags: &[String]| {
        let mut sorted = flags.to_vec();
        model::sort::SortSlice::sort_stable_by(&mut sorted[..], |a, b| a.cmp(b));
        let mut command = vec![binary.to_string()];
        command.extend(sorted);
        command
    };
    let owned = |flags: &[&str]| flags.iter().map(|f| f.to_string()).collect::<Vec<_>>();
    let with_usr_share = |mut volumes: Vec<HostPathVolume>| {
        volumes.push(USR_SHARE_CA_CERTIFICATES);
        volumes
    };
    let kubeconfig = |path: &'static str| HostPathVolume {
        name: "kubeconfig",
        path,
        file: true,
        read_only: true,
    };
    let mut api_server_flags = owned(&[
        "--allow-privileged=true",
        "--authorization-mode=Node,RBAC",
        "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        "--enable-admission-plugins=NodeRestriction",
        "--enable-bootstrap-token-auth=true",
        "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
        "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
        "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
        "--etcd-servers=https://127.0.0.1:2379",
        "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
        "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
        "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
        "--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt",
        "--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key",
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-username-headers=X-Remote-User",
        "--runtime-config=",
        "--secure-port=6443",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
        "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
        "--service-cluster-ip-range=10.96.0.0/16",
        "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
        "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
    ]);
    api_server_flags.push(format!("--advertise-address={ip}"));
    let etcd_flags = vec![
        format!("--advertise-client-urls=https://{ip}:2379"),
        "--cert-file=/etc/kubernetes/pki/etcd/server.crt".to_string(),
        "--client-cert-auth=true".to_string(),
        "--data-dir=/var/lib/etcd".to_string(),
        "--feature-gates=InitialCorruptCheck=true".to_string(),
        format!("--initial-advertise-peer-urls=https://{ip}:2380"),
        format!("--initial-cluster={node}=https://{ip}:2380"),
        "--key-file=/etc/kubernetes/pki/etcd/server.key".to_string(),
        format!("--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379"),
        "--listen-metrics-urls=http://127.0.0.1:2381".to_string(),
        format!("--listen-peer-urls=https://{ip}:2380"),
        format!("--name={node}"),
        "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt".to_string(),
        "--peer-client-cert-auth=true".to_string(),
        "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key".to_string(),
        "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt".to_string(),
        "--snapshot-count=10000".to_string(),
        "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt".to_string(),
        "--watch-progress-notify-interval=5s".to_string(),
    ];
    vec![
        ControlPlaneComponent {
            component: "etcd",
            image: "registry.k8s.io/etcd:3.6.4-0".to_string(),
            command: flags("etcd", &etcd_flags),
            probe_host: "127.0.0.1".to_string(),
            probe_scheme: "HTTP",
            probe_port: 2381,
            liveness_path: "/livez",
            readiness_path: Some("/readyz"),
            startup_path: "/readyz",
            cpu: "100m",
            memory: Some("100Mi"),
            volumes: vec![
                host_path("etcd-certs", "/etc/kubernetes/pki/etcd", false),
                host_path("etcd-data", "/var/lib/etcd", false),
            ],
            // kubeadm mounts etcd's data first (its volumes are sorted, its mounts are not).
            mount_order: vec!["etcd-data", "etcd-certs"],
            annotation: Some((
                "kubeadm.kubernetes.io/etcd.advertise-client-urls",
                format!("https://{ip}:2379"),
            )),
        },
        ControlPlaneComponent {
            component: "kube-apiserver",
            image: format!("registry.k8s.io/kube-apiserver:{version}"),
            command: flags("kube-apiserver", &api_server_flags),
            probe_host: ip.to_string(),
            probe_scheme: "HTTPS",
            probe_port: 6443,
            liveness_path: "/livez",
            readiness_path: Some("/readyz"),
            startup_path: "/livez",
            cpu: "250m",
            memory: None,
            volumes: with_usr_share(CERTIFICATE_VOLUMES.into()),
            mount_order: vec![
                "ca-certs",
                "etc-ca-certificates",
                "k8s-certs",
                "usr-local-share-ca-certificates",
                "usr-share-ca-certificates",
            ],
            annotation: Some((
                "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint",
                format!("{ip}:6443"),
            )),
        },
        ControlPlaneComponent {
            component: "kube-controller-manager",
            image: format!("registry.k8s.io/kube-controller-manager:{version}"),
            command: flags(
                "kube-controller-manager",
                &owned(&[
                    "--allocate-node-cidrs=true",
                    "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
                    "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
                    "--bind-address=127.0.0.1",
                    "--client-ca-file=/etc/kubernetes/pki/ca.crt",
                    "--cluster-cidr=10.244.0.0/16",
                    "--cluster-name=kind",
                    "--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt",
                    "--cluster-signing-key-file=/etc/kubernetes/pki/ca.key",
                    "--controllers=*,bootstrapsigner,tokencleaner",
                    "--enable-hostpath-provisioner=true",
                    "--kubeconfig=/etc/kubernetes/controller-manager.conf",
                    "--leader-elect=true",
                    "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
                    "--root-ca-file=/etc/kubernetes/pki/ca.crt",
                    "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
                    "--service-cluster-ip-range=10.96.0.0/16",
                    "--use-service-account-credentials=true",
                ]),
            ),
            probe_host: "127.0.0.1".to_string(),
            probe_scheme: "HTTPS",
            probe_port: 10257,
            liveness_path: "/healthz",
            readiness_path: None,
            startup_path: "/healthz",
            cpu: "200m",
            memory: None,
            volumes: {
                let [ca, etc, pki, local] = CERTIFICATE_VOLUMES;
                vec![
                    ca,
                    etc,
                    host_path(
                        "flexvolume-dir",
                        "/usr/libexec/kubernetes/kubelet-plugins/volume/exec",
                        false,
                    ),
                    pki,
                    kubeconfig("/etc/kubernetes/controller-manager.conf"),
                    local,
                    USR_SHARE_CA_CERTIFICATES,
                ]
            },
            mount_order: vec![
                "ca-certs",
                "etc-ca-certificates",
                "flexvolume-dir",
                "k8s-certs",
                "kubeconfig",
                "usr-local-share-ca-certificates",
                "usr-share-ca-certificates",
            ],
            annotation: None,
        },
        ControlPlaneComponent {
            component: "kube-scheduler",
            image: format!("registry.k8s.io/kube-scheduler:{version}"),
            command: flags(
                "kube-scheduler",
                &owned(&[
                    "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
                    "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
                    "--bind-address=127.0.0.1",
                    "--kubeconfig=/etc/kubernetes/scheduler.conf",
                    "--leader-elect=true",
                ]),
            ),
            probe_host: "127.0.0.1".to_string(),
            probe_scheme: "HTTPS",
            probe_port: 10259,
            liveness_path: "/livez",
            readiness_path: Some("/readyz"),
            startup_path: "/livez",
            cpu: "100m",
            memory: None,
            volumes: vec![kubeconfig("/etc/kubernetes/scheduler.conf")],
            mount_order: vec!["kubeconfig"],
            annotation: None,
        },
    ]
}

/// Every kube-system object, as YAML documents, for the given shape.
pub fn manifests(shape: &ClusterShape) -> Vec<String> {
    let mut documents = Vec::new();
    let version = KUBELET_VERSION;
    if let Some(control_plane) = shape.nodes.iter().find(|n| n.control_plane) {
        let node = &control_plane.name;
        let ip = node_address(0);
        for component in control_plane_components(node, &ip, version) {
            documents.push(component.manifest(node));
        }
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
