//! Lessons: short guided walks through what a cluster does (a first Pod, a Deployment's
//! rollout, a Service, a pod that does not fit, a node that fails), in English and Korean.
//!
//! A lesson is data: steps of text, each with one action (a manifest to put in the editor, or a
//! line to run in the terminal) and a check that tells when the step is done. A check only
//! reads the cluster, through the same kubectl the terminal uses (`kubectl get … -o jsonpath`),
//! so it never changes what the user's cluster does. The page keeps the lesson and step in
//! storage; the actions go through the page's ordinary Apply and terminal, so they are
//! journaled, autosaved and shared like anything the user typed.

use scenario::script::NoFiles;
use scenario::Session;

use crate::i18n::Language;

/// One lesson: a title and its steps, each text in English and Korean.
pub struct Lesson {
    pub title: (&'static str, &'static str),
    pub steps: &'static [Step],
}

/// One step: what to read, what to do, and when it is done.
pub struct Step {
    pub text: (&'static str, &'static str),
    pub action: Action,
    pub done: Done,
}

/// What the step's button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Puts this manifest in the editor (the user presses Apply).
    Manifest(&'static str),
    /// Runs this line in the terminal. `{external-ip:NAME}` stands for the LoadBalancer
    /// Service NAME's address (in kubectl's current namespace), read when the button is drawn.
    Command(&'static str),
}

/// When a step is done. Reads run read-only kubectl lines and look at what they print on
/// standard output (trimmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// The step's command was run in the terminal since the step was opened.
    Ran,
    /// The line prints exactly this.
    Prints(&'static str, &'static str),
    /// The line prints this many words (names, addresses).
    PrintsWords(&'static str, usize),
    /// The line prints a number at least this big (a Deployment scaled up earlier still counts).
    PrintsAtLeast(&'static str, u64),
    /// Every one of these.
    All(&'static [Done]),
}

impl Lesson {
    pub fn title(&self, language: Language) -> &'static str {
        pick(self.title, language)
    }
}

impl Step {
    pub fn text(&self, language: Language) -> &'static str {
        pick(self.text, language)
    }
}

fn pick(text: (&'static str, &'static str), language: Language) -> &'static str {
    match language {
        Language::English => text.0,
        Language::Korean => text.1,
    }
}

/// Where the user is: which lesson, which step, and how long the terminal history was when
/// the step opened (a [`Done::Ran`] step looks only at lines run after that).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LessonPosition {
    pub lesson: usize,
    pub step: usize,
    pub history_mark: usize,
}

impl LessonPosition {
    /// `2 0 3`: lesson, step, and how many terminal lines ran since the step opened (storage
    /// keeps only the newest lines of the history, so a count survives a reload where an
    /// index would not).
    pub fn encode(self, history_length: usize) -> String {
        let since = history_length.saturating_sub(self.history_mark);
        format!("{} {} {since}", self.lesson, self.step)
    }

    /// A stored position, if it still names a lesson and step (anything else is ignored), for
    /// a history of `history_length` lines.
    pub fn decode(text: &str, history_length: usize) -> Option<LessonPosition> {
        let mut numbers = text.split_whitespace().map(|n| n.parse::<usize>().ok());
        let lesson = numbers.next()??;
        let step = numbers.next()??;
        let since = numbers.next()??;
        if numbers.next().is_some() || step >= LESSONS.get(lesson)?.steps.len() {
            return None;
        }
        Some(LessonPosition {
            lesson,
            step,
            history_mark: history_length - since.min(history_length),
        })
    }

    pub fn lesson(self) -> &'static Lesson {
        &LESSONS[self.lesson.min(LESSONS.len() - 1)]
    }

    pub fn step(self) -> &'static Step {
        let steps = self.lesson().steps;
        &steps[self.step.min(steps.len() - 1)]
    }
}

/// What a read-only kubectl line prints on standard output, trimmed; `None` when it fails.
fn read(session: &mut Session, line: &str) -> Option<String> {
    let output = session.read_line(line, &NoFiles);
    (output.exit_code == 0).then(|| output.stdout.trim().to_string())
}

/// The line an [`Action::Command`] runs, its placeholder filled in from the cluster; while the
/// Service has no address yet, `Err` with the line as it can be shown (`<pending>` in place).
pub fn resolve_command(session: &mut Session, line: &str) -> Result<String, String> {
    const OPEN: &str = "{external-ip:";
    let Some(start) = line.find(OPEN) else {
        return Ok(line.to_string());
    };
    let Some(length) = line[start..].find('}') else {
        return Ok(line.to_string());
    };
    let name = &line[start + OPEN.len()..start + length];
    let address = read(
        session,
        &format!("kubectl get service {name} -o jsonpath={{.status.loadBalancer.ingress[0].ip}}"),
    )
    .filter(|address| address.parse::<std::net::IpAddr>().is_ok());
    let before = &line[..start];
    let after = &line[start + length + 1..];
    match address {
        Some(address) => Ok(format!("{before}{address}{after}")),
        None => Err(format!("{before}<pending>{after}")),
    }
}

/// Whether `done` holds now. `ran_since` is the terminal history since the step opened;
/// `command` the step's own (resolved) line, if it has one.
pub fn is_done(
    session: &mut Session,
    done: &Done,
    ran_since: &[String],
    command: Option<&str>,
) -> bool {
    match done {
        Done::Ran => command.is_some_and(|command| {
            ran_since
                .iter()
                .any(|line| line.split_whitespace().eq(command.split_whitespace()))
        }),
        Done::Prints(line, expected) => read(session, line).is_some_and(|out| out == *expected),
        Done::PrintsWords(line, count) => {
            read(session, line).is_some_and(|out| out.split_whitespace().count() == *count)
        }
        Done::PrintsAtLeast(line, least) => read(session, line)
            .and_then(|out| out.parse::<u64>().ok())
            .is_some_and(|number| number >= *least),
        Done::All(all) => all
            .iter()
            .all(|done| is_done(session, done, ran_since, command)),
    }
}

/// The manifests the lessons put in the editor.
const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
";

/// The lessons' Deployment of nginx:1.27 pods labelled `app: NAME`, serving port 80.
macro_rules! nginx_deployment {
    ($name:literal, $replicas:literal) => {
        concat!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ", $name,
            "\nspec:\n  replicas: ", $replicas,
            "\n  selector:\n    matchLabels:\n      app: ", $name,
            "\n  template:\n    metadata:\n      labels:\n        app: ", $name,
            "\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n"
        )
    };
}

/// The pod `big` asking for this much memory.
macro_rules! big_pod {
    ($memory:literal) => {
        concat!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    resources:\n      requests:\n        memory: ",
            $memory,
            "\n"
        )
    };
}

const DEPLOYMENT: &str = nginx_deployment!("web", 3);

const DEPLOYMENT_AND_SERVICE: &str = concat!(
    nginx_deployment!("hello", 3),
    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: hello\nspec:\n  type: LoadBalancer\n  selector:\n    app: hello\n  ports:\n  - port: 80\n    targetPort: 80\n"
);

const BIG_POD: &str = big_pod!("1000Gi");

const SMALL_POD: &str = big_pod!("64Mi");

const FOUR_REPLICAS: &str = nginx_deployment!("web", 4);

const POD_NAME: &str = "kubectl get pods nginx --ignore-not-found -o jsonpath={.metadata.name}";
const POD_PHASE: &str = "kubectl get pods nginx --ignore-not-found -o jsonpath={.status.phase}";
const BIG_PHASE: &str = "kubectl get pods big --ignore-not-found -o jsonpath={.status.phase}";
const BIG_NAME: &str = "kubectl get pods big --ignore-not-found -o jsonpath={.metadata.name}";
const READY_REPLICAS: &str =
    "kubectl get deployment web --ignore-not-found -o jsonpath={.status.readyReplicas}";
const ROLLOUT: &str = "kubectl get deployment web --ignore-not-found -o jsonpath='{.spec.template.spec.containers[0].image}/{.status.updatedReplicas}/{.status.readyReplicas}/{.status.replicas}'";
const SERVICE_ENDPOINTS: &str = "kubectl get endpointslices -l kubernetes.io/service-name=hello -o jsonpath='{.items[*].endpoints[?(@.conditions.ready==true)].addresses[0]}'";
const NODE_1_READY: &str = "kubectl get node node-1 --ignore-not-found -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}'";
const RUNNING_OFF_NODE_1: &str = "kubectl get pods -l app=web --field-selector=spec.nodeName!=node-1,status.phase=Running -o name";

/// Every lesson, in the order the menu lists them.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        title: ("1. Your first Pod", "1. 첫 파드 실행하기"),
        steps: &[
            Step {
                text: (
                    "A Pod is the smallest thing Kubernetes runs: one or more containers sharing one network address. Put this Pod in the editor, then press Apply.",
                    "파드(Pod)는 쿠버네티스에서 실행할 수 있는 가장 작은 단위로, 네트워크 주소 하나를 함께 쓰는 하나 이상의 컨테이너로 이루어집니다. 이 파드를 편집기에 넣고 적용을 누르세요.",
                ),
                action: Action::Manifest(POD),
                done: Done::Prints(POD_NAME, "nginx"),
            },
            Step {
                text: (
                    "The scheduler picks a node for the pod; that node's kubelet pulls the image (unless the node has it already) and starts the container. List the pods until STATUS says Running (time must be playing).",
                    "스케줄러가 파드를 실행할 노드를 고르면, 그 노드의 kubelet이 이미지를 받아(노드에 이미 있으면 생략) 컨테이너를 시작합니다. STATUS가 Running이 될 때까지 파드 목록을 확인하세요 (▶ 재생 상태여야 합니다).",
                ),
                action: Action::Command("kubectl get pods -o wide"),
                done: Done::All(&[Done::Ran, Done::Prints(POD_PHASE, "Running")]),
            },
            Step {
                text: (
                    "Read what the container wrote to its standard output and standard error.",
                    "컨테이너가 표준 출력과 표준 에러에 쓴 내용을 읽어 봅니다.",
                ),
                action: Action::Command("kubectl logs nginx"),
                done: Done::Ran,
            },
            Step {
                text: (
                    "`kubectl describe` shows everything the cluster knows about the pod. The Events at the end tell its story: Scheduled, Pulling and Pulled (when the image had to be pulled), Created, Started.",
                    "`kubectl describe`는 클러스터가 파드에 대해 아는 모든 것을 보여 줍니다. 맨 아래 Events에 Scheduled, Pulling·Pulled(이미지를 받아야 했을 때), Created, Started 순서로 파드가 지나온 과정이 나옵니다.",
                ),
                action: Action::Command("kubectl describe pod nginx"),
                done: Done::Ran,
            },
            Step {
                text: (
                    "Delete the pod. Its containers get a stop signal (SIGTERM unless the image names another) and a grace period (30 seconds by default) to stop. A bare pod has no controller, so nothing brings it back.",
                    "파드를 삭제합니다. 컨테이너는 종료 시그널(이미지가 따로 정하지 않으면 SIGTERM)을 받고 유예 기간(기본 30초) 안에 정상 종료할 수 있습니다. 단독 파드는 관리하는 컨트롤러가 없으므로 다시 만들어지지 않습니다.",
                ),
                action: Action::Command("kubectl delete pod nginx"),
                done: Done::All(&[Done::Ran, Done::Prints(POD_NAME, "")]),
            },
        ],
    },
    Lesson {
        title: (
            "2. Deployments: scale, update, roll back",
            "2. 디플로이먼트: 스케일링, 업데이트, 롤백",
        ),
        steps: &[
            Step {
                text: (
                    "A Deployment keeps a number of identical pods running, through a ReplicaSet. Put it in the editor and press Apply: three pods start.",
                    "디플로이먼트(Deployment)는 레플리카셋(ReplicaSet)을 통해 똑같은 파드를 정해진 수만큼 계속 실행합니다. 편집기에 넣고 적용을 누르면 파드 세 개가 시작됩니다.",
                ),
                action: Action::Manifest(DEPLOYMENT),
                done: Done::PrintsAtLeast(READY_REPLICAS, 3),
            },
            Step {
                text: (
                    "Scale it to five replicas: the ReplicaSet creates two more pods.",
                    "레플리카를 5개로 늘립니다. 레플리카셋이 파드 두 개를 더 만듭니다.",
                ),
                action: Action::Command("kubectl scale deployment web --replicas=5"),
                done: Done::All(&[Done::Ran, Done::Prints(READY_REPLICAS, "5")]),
            },
            Step {
                text: (
                    "Change the image. The Deployment makes a new ReplicaSet and replaces the pods a few at a time: maxSurge and maxUnavailable are 25% by default, so with five replicas at most two extra pods start and at most one is missing at any moment.",
                    "이미지를 바꿉니다. 디플로이먼트는 새 레플리카셋을 만들고 파드를 몇 개씩 차례로 교체합니다. maxSurge와 maxUnavailable의 기본값은 각각 25%라서, 레플리카 5개일 때 한 번에 최대 2개가 더 만들어지고 최대 1개까지만 빠집니다.",
                ),
                action: Action::Command("kubectl set image deployment/web nginx=nginx:1.28"),
                done: Done::All(&[Done::Ran, Done::Prints(ROLLOUT, "nginx:1.28/5/5/5")]),
            },
            Step {
                text: (
                    "Both ReplicaSets are still there: the old one is scaled to 0 and kept for a rollback.",
                    "레플리카셋 두 개가 모두 남아 있습니다. 이전 것은 0으로 줄어든 채 롤백을 위해 보관됩니다.",
                ),
                action: Action::Command("kubectl get replicasets -o wide"),
                done: Done::Ran,
            },
            Step {
                text: (
                    "Roll back to the previous revision: the old ReplicaSet scales up again.",
                    "이전 리비전으로 롤백합니다. 이전 레플리카셋이 다시 늘어납니다.",
                ),
                action: Action::Command("kubectl rollout undo deployment/web"),
                done: Done::All(&[Done::Ran, Done::Prints(ROLLOUT, "nginx:1.27/5/5/5")]),
            },
        ],
    },
    Lesson {
        title: (
            "3. Services: one address for many pods",
            "3. 서비스: 여러 파드를 위한 하나의 주소",
        ),
        steps: &[
            Step {
                text: (
                    "Pods come and go, and their IPs change. A Service gives a set of pods one stable name and address and sends each request to one of its ready pods. Put a Deployment and its Service in the editor and press Apply.",
                    "파드는 생겼다 사라지고 IP도 바뀝니다. 서비스(Service)는 파드 묶음에 바뀌지 않는 이름과 주소를 하나 주고, 요청을 준비된(Ready) 파드 중 하나로 보냅니다. 디플로이먼트와 서비스를 편집기에 넣고 적용을 누르세요.",
                ),
                action: Action::Manifest(DEPLOYMENT_AND_SERVICE),
                done: Done::PrintsWords(SERVICE_ENDPOINTS, 3),
            },
            Step {
                text: (
                    "The Service's endpoints are the addresses of its ready pods; its selector (app=hello) picks them.",
                    "서비스의 엔드포인트는 준비된 파드들의 주소이며, 셀렉터(app=hello)가 파드를 고릅니다.",
                ),
                action: Action::Command("kubectl describe service hello"),
                done: Done::Ran,
            },
            Step {
                text: (
                    "Inside the cluster a Service has a DNS name: run curl in one of the pods and ask for `hello`.",
                    "클러스터 안에서는 서비스를 DNS 이름으로 부를 수 있습니다. 파드 하나에서 curl로 `hello`에 요청을 보내 보세요.",
                ),
                action: Action::Command("kubectl exec deploy/hello -- curl -s http://hello"),
                done: Done::Ran,
            },
            Step {
                text: (
                    "From outside, the LoadBalancer's external IP takes the traffic. Send 30 requests and see how they spread over the pods; the graph animates them. (`curl -n 30` is this playground's shortcut for 30 requests; a kind cluster needs cloud-provider-kind or MetalLB to give the address.)",
                    "클러스터 밖에서는 로드 밸런서의 외부 IP로 요청이 들어옵니다. 요청 30개를 보내고 파드들에 어떻게 나뉘는지 보세요. 그래프에서 요청이 오가는 모습을 볼 수 있습니다. (`curl -n 30`은 이 플레이그라운드에서 요청 30개를 보내는 단축 명령입니다. kind 클러스터에서는 cloud-provider-kind나 MetalLB가 있어야 주소가 생깁니다.)",
                ),
                action: Action::Command("curl -n 30 http://{external-ip:hello}"),
                done: Done::Ran,
            },
        ],
    },
    Lesson {
        title: ("4. A pod that does not fit", "4. 자리가 없는 파드"),
        steps: &[
            Step {
                text: (
                    "A pod requests CPU and memory, and the scheduler only places it on a node whose allocatable capacity, minus what the pods already there request (not what they use), still covers it. This one asks for 1000Gi of memory. Apply it: it stays Pending in the scheduling queue above the nodes.",
                    "파드는 CPU와 메모리를 요청(request)하고, 스케줄러는 노드의 할당 가능량에서 이미 있는 파드들의 요청량(실제 사용량이 아님)을 뺀 여유가 충분한 노드에만 파드를 배치합니다. 이 파드는 메모리 1000Gi를 요청합니다. 적용하면 그래프에서 노드들 위에 있는 스케줄링 대기열에 Pending 상태로 남습니다.",
                ),
                action: Action::Manifest(BIG_POD),
                done: Done::Prints(BIG_PHASE, "Pending"),
            },
            Step {
                text: (
                    "Why? The FailedScheduling event at the end of `kubectl describe` says how many nodes each reason ruled out (clicking the pod in the queue shows it too).",
                    "왜 그럴까요? `kubectl describe` 맨 끝의 FailedScheduling 이벤트에 이유별로 몇 개의 노드가 제외됐는지 나옵니다 (대기열의 파드를 클릭해도 볼 수 있습니다).",
                ),
                action: Action::Command("kubectl describe pod big"),
                done: Done::Ran,
            },
            Step {
                text: (
                    "Apply cannot change a Pod's requests: delete it, then create it again.",
                    "적용으로는 파드의 요청량을 바꿀 수 없습니다. 삭제한 뒤 다시 만듭니다.",
                ),
                action: Action::Command("kubectl delete pod big"),
                done: Done::All(&[Done::Ran, Done::Prints(BIG_NAME, "")]),
            },
            Step {
                text: (
                    "Apply it again asking for 64Mi: that fits on any worker node, so the pod is scheduled and runs.",
                    "64Mi만 요청하도록 다시 적용합니다. 어느 워커 노드에나 들어가므로 파드가 스케줄링되어 실행됩니다.",
                ),
                action: Action::Manifest(SMALL_POD),
                done: Done::Prints(BIG_PHASE, "Running"),
            },
        ],
    },
    Lesson {
        title: ("5. When a node fails", "5. 노드에 장애가 나면"),
        steps: &[
            Step {
                text: (
                    "Apply a Deployment of four pods; the scheduler tends to spread them over the worker nodes.",
                    "파드 네 개짜리 디플로이먼트를 적용합니다. 스케줄러는 파드를 워커 노드들에 나누어 배치하는 편입니다.",
                ),
                action: Action::Manifest(FOUR_REPLICAS),
                done: Done::Prints(ROLLOUT, "nginx:1.27/4/4/4"),
            },
            Step {
                text: (
                    "Fail node-1: its kubelet stops reporting (the node's ⋯ menu in the graph does the same). After 50 seconds without a heartbeat the node controller marks its Ready condition Unknown (kubectl shows NotReady) and taints it `node.kubernetes.io/unreachable`.",
                    "node-1에 장애를 일으킵니다. node-1의 kubelet이 상태 보고를 멈춥니다 (그래프에서 노드의 ⋯ 메뉴로도 할 수 있습니다). 하트비트 없이 50초가 지나면 노드 컨트롤러가 Ready 상태를 Unknown으로 바꾸고(kubectl에는 NotReady로 표시) `node.kubernetes.io/unreachable` 테인트를 붙입니다.",
                ),
                action: Action::Command("cluster fail-node node-1"),
                done: Done::All(&[Done::Ran, Done::Prints(NODE_1_READY, "Unknown")]),
            },
            Step {
                text: (
                    "Its pods are not replaced at once: they tolerate the unreachable taint for 300 seconds. Then the taint-eviction controller deletes them and the ReplicaSet creates replacements on the other nodes (fast-forward to skip the wait). The old ones stay Terminating until the kubelet comes back or the node is deleted: nobody can confirm they stopped.",
                    "node-1의 파드는 바로 교체되지 않습니다. 파드에는 unreachable 테인트를 300초 동안 버티는 기본 톨러레이션이 있어서, 그 뒤에야 테인트 축출 컨트롤러가 파드를 삭제하고 레플리카셋이 다른 노드에 새 파드를 만듭니다 (빨리 감기로 기다리는 시간을 건너뛸 수 있습니다). 원래 파드는 실제로 멈췄는지 아무도 확인할 수 없어서, kubelet이 돌아오거나 노드가 삭제될 때까지 Terminating 상태로 남습니다.",
                ),
                action: Action::Command("kubectl get pods -o wide"),
                done: Done::All(&[Done::Ran, Done::PrintsWords(RUNNING_OFF_NODE_1, 4)]),
            },
            Step {
                text: (
                    "Recover node-1: its kubelet comes back, finishes removing the old pods, and the node is Ready again.",
                    "node-1을 복구합니다. kubelet이 돌아와 이전 파드를 마저 정리하고, 노드는 다시 Ready가 됩니다.",
                ),
                action: Action::Command("cluster recover-node node-1"),
                done: Done::All(&[Done::Ran, Done::Prints(NODE_1_READY, "True")]),
            },
        ],
    },
];

/// Splits step text on backquotes: `(text, is_code)` pieces, code shown as code.
pub fn text_pieces(text: &str) -> Vec<(&str, bool)> {
    text.split('`')
        .enumerate()
        .filter(|(_, piece)| !piece.is_empty())
        .map(|(index, piece)| (piece, index % 2 == 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;

    /// Runs simulated time in one-second steps until `done` holds (at most `limit` seconds).
    fn wait_until(
        session: &mut Session,
        done: &Done,
        ran: &[String],
        command: Option<&str>,
        limit: u64,
    ) -> bool {
        for _ in 0..limit {
            if is_done(session, done, ran, command) {
                return true;
            }
            session.cluster.advance(cluster::SimDuration(1_000));
        }
        is_done(session, done, ran, command)
    }

    /// Every lesson can be done by following it: each step's action, then time, makes its
    /// check pass — on one cluster, lesson after lesson, as a user would take them.
    #[test]
    fn every_lesson_completes_when_followed_on_one_cluster() {
        let mut session = Session::new(1);
        for lesson in LESSONS {
            for (number, step) in lesson.steps.iter().enumerate() {
                let title = format!("{} step {}", lesson.title.0, number + 1);
                let mut ran = Vec::new();
                let command = match step.action {
                    Action::Manifest(text) => {
                        let result = engine::apply_text(&mut session, text);
                        assert_eq!(result.errors, vec![], "{title}");
                        None
                    }
                    Action::Command(line) => {
                        let line = resolve_command(&mut session, line)
                            .unwrap_or_else(|shown| panic!("{title}: {shown}"));
                        let (text, code) =
                            engine::run_terminal_line_with_status(&mut session, &line);
                        assert_eq!(code, 0, "{title}: {text}");
                        ran.push(line.clone());
                        Some(line)
                    }
                };
                assert!(
                    wait_until(&mut session, &step.done, &ran, command.as_deref(), 900),
                    "{title} is not done after 15 simulated minutes"
                );
            }
        }
    }

    #[test]
    fn a_ran_check_wants_the_steps_own_line_and_text_has_code_pieces() {
        let mut session = Session::new(1);
        let ran = vec!["kubectl  logs nginx".to_string()];
        assert!(is_done(
            &mut session,
            &Done::Ran,
            &ran,
            Some("kubectl logs nginx")
        ));
        assert!(!is_done(
            &mut session,
            &Done::Ran,
            &ran,
            Some("kubectl logs web")
        ));
        assert!(!is_done(
            &mut session,
            &Done::Ran,
            &[],
            Some("kubectl logs nginx")
        ));
        assert_eq!(
            text_pieces("run `kubectl get` now"),
            vec![("run ", false), ("kubectl get", true), (" now", false)]
        );
        // No address yet: the line cannot run, and shows `<pending>`.
        assert_eq!(
            resolve_command(&mut session, "curl http://{external-ip:none}/x"),
            Err("curl http://<pending>/x".to_string())
        );
        assert_eq!(
            resolve_command(&mut session, "kubectl get pods"),
            Ok("kubectl get pods".to_string())
        );
        // A failing read is never a match, not even for an empty expectation.
        assert!(!is_done(
            &mut session,
            &Done::Prints("kubectl get nosuchkind x", ""),
            &[],
            None
        ));
        assert!(is_done(
            &mut session,
            &Done::Prints("kubectl get pods nope --ignore-not-found -o name", ""),
            &[],
            None
        ));
    }

    #[test]
    fn stored_positions_outside_the_lessons_are_ignored() {
        let position = LessonPosition {
            lesson: 1,
            step: 2,
            history_mark: 9,
        };
        assert_eq!(position.encode(12), "1 2 3");
        assert_eq!(LessonPosition::decode("1 2 3", 12), Some(position));
        // Storage kept fewer lines than the page had: the lines since the step still count.
        assert_eq!(
            LessonPosition::decode("1 2 3", 5).map(|p| p.history_mark),
            Some(2)
        );
        assert_eq!(
            LessonPosition::decode("1 2 300", 5).map(|p| p.history_mark),
            Some(0)
        );
        assert_eq!(LessonPosition::decode("99 0 0", 0), None);
        assert_eq!(LessonPosition::decode("0 99 0", 0), None);
        assert_eq!(LessonPosition::decode("0 x 0", 0), None);
        assert_eq!(LessonPosition::decode("0 0 0 0", 0), None);
        assert_eq!(LessonPosition::decode("", 0), None);
        for lesson in LESSONS {
            assert!(!lesson.steps.is_empty());
            for step in lesson.steps {
                assert!(!step.text.0.is_empty() && !step.text.1.is_empty());
                assert_eq!(step.text.0.matches('`').count() % 2, 0);
                assert_eq!(step.text.1.matches('`').count() % 2, 0);
            }
        }
    }
}
