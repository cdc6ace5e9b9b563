//! The page's own labels in English and Korean (`data-testid="language"` switches). kubectl's
//! output is never translated: it prints what real kubectl prints.

/// The page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
    Korean,
}

/// Every label the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Tagline,
    Apply,
    Delete,
    Templates,
    Share,
    Play,
    Pause,
    Step,
    Speed,
    Cluster,
    Namespace,
    AllNamespaces,
    SchedulingQueue,
    NotTriedYet,
    Objects,
    Terminal,
    Events,
    Inspector,
    InspectorHint,
    Edit,
    DeleteObject,
    Describe,
    Yaml,
    RestorePrevious,
    LanguageToggle,
    Services,
    Logs,
    Previous,
    ExecPlaceholder,
    Run,
    Scale,
    RolloutRestart,
    Container,
    Actions,
    FailNode,
    RecoverNode,
    Cordon,
    Uncordon,
    Drain,
    RemoveNode,
    DeletePod,
    CrashContainer,
    ClusterMenu,
    AddNode,
    StopControlPlane,
    StartControlPlane,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    Theme,
    Export,
    NewCluster,
    FastForward,
    Lessons,
    PutInEditor,
    RunInTerminal,
    StepDone,
    StepWaiting,
    LessonBack,
    LessonNext,
    LessonClose,
}

/// What the page just did, told in the notice bar in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    SharedLinkOpened {
        seed: u64,
        inputs: usize,
    },
    ClusterRestored {
        inputs: usize,
    },
    NewCluster {
        seed: u64,
    },
    FastForwarded {
        seconds: u64,
        settled: bool,
    },
    /// `inputs` the link replays; `left_out` the ones that did not fit (then it carries none).
    ShareLinkMade {
        characters: usize,
        seed: u64,
        inputs: usize,
        left_out: usize,
    },
    PreviousTextRestored,
    /// The text and the cluster a share link had replaced are back.
    PreviousWorkRestored,
    EditLoaded {
        title: String,
    },
    Gone {
        title: String,
    },
}

impl Language {
    pub fn notice(self, notice: &Notice) -> String {
        match (self, notice) {
            (Language::English, Notice::SharedLinkOpened { seed, inputs: 0 }) => format!(
                "Opened a shared link (seed {seed}): its manifests are in the editor, nothing applied yet."
            ),
            (Language::Korean, Notice::SharedLinkOpened { seed, inputs: 0 }) => format!(
                "공유 링크를 열었습니다 (시드 {seed}): 매니페스트가 편집기에 있으며 아직 적용되지 않았습니다."
            ),
            (Language::English, Notice::SharedLinkOpened { seed, inputs }) => format!(
                "Opened a shared link (seed {seed}): its manifests are in the editor and its cluster is rebuilt ({inputs} inputs replayed)."
            ),
            (Language::Korean, Notice::SharedLinkOpened { seed, inputs }) => format!(
                "공유 링크를 열었습니다 (시드 {seed}): 매니페스트가 편집기에 있고 클러스터를 다시 만들었습니다 (입력 {inputs}개 재생)."
            ),
            (Language::English, Notice::ClusterRestored { inputs }) => format!(
                "Your cluster is back as you left it ({inputs} inputs replayed)."
            ),
            (Language::Korean, Notice::ClusterRestored { inputs }) => format!(
                "클러스터를 떠날 때 그대로 되살렸습니다 (입력 {inputs}개 재생)."
            ),
            (Language::English, Notice::NewCluster { seed }) => format!(
                "A new cluster (seed {seed}); your editor text and terminal history are kept."
            ),
            (Language::Korean, Notice::NewCluster { seed }) => format!(
                "새 클러스터입니다 (시드 {seed}). 편집기 텍스트와 터미널 기록은 그대로입니다."
            ),
            (Language::English, Notice::FastForwarded { seconds, settled: true }) => format!(
                "Fast-forwarded {seconds} s: the cluster has settled (nothing changed for a minute)."
            ),
            (Language::Korean, Notice::FastForwarded { seconds, settled: true }) => format!(
                "{seconds}초 빨리 감았습니다: 클러스터가 안정되었습니다 (1분 동안 변화 없음)."
            ),
            (Language::English, Notice::FastForwarded { seconds, settled: false }) => format!(
                "Fast-forwarded {seconds} s: the cluster is still changing (stopped after 30 minutes)."
            ),
            (Language::Korean, Notice::FastForwarded { seconds, settled: false }) => format!(
                "{seconds}초 빨리 감았습니다: 클러스터가 아직 바뀌고 있습니다 (30분 후 멈춤)."
            ),
            (Language::English, Notice::ShareLinkMade { characters, seed, inputs, left_out: 0 }) => format!(
                "Share link made ({characters} characters): it opens these manifests with seed {seed} and rebuilds this cluster ({inputs} inputs)."
            ),
            (Language::Korean, Notice::ShareLinkMade { characters, seed, inputs, left_out: 0 }) => format!(
                "공유 링크를 만들었습니다 ({characters}자): 이 매니페스트를 시드 {seed}로 열고 이 클러스터를 다시 만듭니다 (입력 {inputs}개)."
            ),
            (Language::English, Notice::ShareLinkMade { characters, seed, left_out, .. }) => format!(
                "Share link made ({characters} characters): it opens these manifests with seed {seed} on a fresh cluster — this cluster's {left_out} inputs are too long for a link."
            ),
            (Language::Korean, Notice::ShareLinkMade { characters, seed, left_out, .. }) => format!(
                "공유 링크를 만들었습니다 ({characters}자): 이 매니페스트를 시드 {seed}의 새 클러스터로 엽니다. 이 클러스터의 입력 {left_out}개는 링크에 담기에 너무 깁니다."
            ),
            (Language::English, Notice::PreviousWorkRestored) => {
                "Your previous text and cluster are back (the link's are one more click away).".to_string()
            }
            (Language::Korean, Notice::PreviousWorkRestored) => {
                "이전 텍스트와 클러스터를 되돌렸습니다 (링크의 것은 한 번 더 누르면 돌아옵니다).".to_string()
            }
            (Language::English, Notice::PreviousTextRestored) => {
                "Your previous text is back in the editor.".to_string()
            }
            (Language::Korean, Notice::PreviousTextRestored) => {
                "이전 텍스트를 편집기에 되돌렸습니다.".to_string()
            }
            (Language::English, Notice::EditLoaded { title }) => format!(
                "{title} is in the editor; your previous text is one Ctrl+Z (or the restore button) away."
            ),
            (Language::Korean, Notice::EditLoaded { title }) => format!(
                "{title}을(를) 편집기에 불러왔습니다. 이전 텍스트는 Ctrl+Z(또는 복원 버튼)로 되돌릴 수 있습니다."
            ),
            (Language::English, Notice::Gone { title }) => format!("{title} is gone."),
            (Language::Korean, Notice::Gone { title }) => format!("{title}은(는) 더 이상 없습니다."),
        }
    }

    /// The other language (what the toggle switches to).
    pub fn other(self) -> Language {
        match self {
            Language::English => Language::Korean,
            Language::Korean => Language::English,
        }
    }

    /// `en` / `ko`: the `lang` attribute and the saved preference.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Korean => "ko",
        }
    }

    /// From a saved preference or the browser's `navigator.language` (`ko-KR` → Korean).
    pub fn from_code(code: &str) -> Language {
        if code.to_ascii_lowercase().starts_with("ko") {
            Language::Korean
        } else {
            Language::English
        }
    }

    /// The graph caption of the detailed view: `Detailed view: 3 pods, 1 waiting to be scheduled`.
    pub fn detailed_caption(self, pods: usize, queued: usize) -> String {
        match self {
            Language::English => {
                let plural = if pods == 1 { "" } else { "s" };
                format!("Detailed view: {pods} pod{plural}, {queued} waiting to be scheduled")
            }
            Language::Korean => format!("상세 보기: 파드 {pods}개, 스케줄 대기 {queued}개"),
        }
    }

    /// The graph caption of the pixel view: `Pixel view: 2050 pods — more than 2000 visible,
    /// drawn as blocks`.
    pub fn pixel_caption(self, pods: usize, limit: usize) -> String {
        match self {
            Language::English => {
                format!("Pixel view: {pods} pods — more than {limit} visible, drawn as blocks")
            }
            Language::Korean => {
                format!("픽셀 보기: 파드 {pods}개 — 표시 한도 {limit}개 초과, 블록으로 표시")
            }
        }
    }

    /// `Step 2 of 5`.
    pub fn step_of(self, step: usize, steps: usize) -> String {
        match self {
            Language::English => format!("Step {step} of {steps}"),
            Language::Korean => format!("{steps}단계 중 {step}단계"),
        }
    }

    pub fn text(self, label: Label) -> &'static str {
        let (english, korean) = match label {
            Label::Tagline => (
                "a Kubernetes cluster in your browser",
                "브라우저 속 쿠버네티스 클러스터",
            ),
            Label::Apply => ("Apply", "적용"),
            Label::Delete => ("Delete", "삭제"),
            Label::Templates => ("Templates…", "템플릿…"),
            Label::Share => ("Share", "공유"),
            Label::Play => ("▶ Play", "▶ 재생"),
            Label::Pause => ("Pause", "일시정지"),
            Label::Step => ("Step ▸", "한 단계 ▸"),
            Label::Speed => ("Speed", "속도"),
            Label::Cluster => ("Cluster", "클러스터"),
            Label::Namespace => ("Namespace", "네임스페이스"),
            Label::AllNamespaces => ("all namespaces", "모든 네임스페이스"),
            Label::SchedulingQueue => ("Scheduling queue", "스케줄링 대기열"),
            Label::NotTriedYet => (
                "the scheduler has not tried this pod yet (time is paused?)",
                "스케줄러가 아직 이 파드를 처리하지 않았습니다 (시간이 멈춰 있나요?)",
            ),
            Label::Objects => ("Objects", "오브젝트"),
            Label::Terminal => ("Terminal", "터미널"),
            Label::Events => ("Events", "이벤트"),
            Label::Inspector => ("Inspector", "검사기"),
            Label::InspectorHint => (
                "Click a node, a pod or an object to inspect it.",
                "노드, 파드 또는 오브젝트를 클릭하면 자세히 볼 수 있습니다.",
            ),
            Label::Edit => ("Edit", "편집"),
            Label::DeleteObject => ("Delete", "삭제"),
            Label::Describe => ("Describe", "Describe"),
            Label::Yaml => ("YAML", "YAML"),
            Label::RestorePrevious => ("Restore my previous text", "이전 텍스트 복원"),
            Label::LanguageToggle => ("한국어", "English"),
            Label::Services => ("Services", "서비스"),
            Label::Logs => ("Logs", "로그"),
            Label::Previous => ("previous container", "이전 컨테이너"),
            Label::ExecPlaceholder => ("command, e.g. wget -qO- web", "명령, 예: wget -qO- web"),
            Label::Run => ("Run", "실행"),
            Label::Scale => ("Scale", "스케일"),
            Label::RolloutRestart => ("Rollout restart", "롤아웃 재시작"),
            Label::Container => ("Container", "컨테이너"),
            Label::Actions => ("Actions…", "작업…"),
            Label::FailNode => ("Fail node (kubelet stops)", "노드 장애 (kubelet 중지)"),
            Label::RecoverNode => ("Recover node", "노드 복구"),
            Label::Cordon => ("Cordon", "Cordon"),
            Label::Uncordon => ("Uncordon", "Uncordon"),
            Label::Drain => ("Drain", "Drain"),
            Label::RemoveNode => ("Remove node", "노드 제거"),
            Label::DeletePod => ("Delete pod", "파드 삭제"),
            Label::CrashContainer => ("Crash container", "컨테이너 크래시"),
            Label::ClusterMenu => ("Cluster…", "클러스터…"),
            Label::AddNode => ("Add node", "노드 추가"),
            Label::StopControlPlane => ("Stop control plane", "컨트롤 플레인 중지"),
            Label::StartControlPlane => ("Start control plane", "컨트롤 플레인 시작"),
            Label::ZoomIn => ("Zoom in", "확대"),
            Label::ZoomOut => ("Zoom out", "축소"),
            Label::ZoomReset => ("Reset view", "보기 초기화"),
            Label::Theme => ("Dark / light", "다크 / 라이트"),
            Label::Export => ("Export for a real cluster", "실제 클러스터용 내보내기"),
            Label::NewCluster => ("New cluster", "새 클러스터"),
            Label::FastForward => ("Fast-forward until settled", "안정될 때까지 빨리 감기"),
            Label::Lessons => ("Lessons…", "실습…"),
            Label::PutInEditor => ("Put it in the editor", "편집기에 넣기"),
            Label::RunInTerminal => ("Run in the terminal", "터미널에서 실행"),
            Label::StepDone => ("✓ Done", "✓ 완료"),
            Label::StepWaiting => ("Not done yet", "아직 완료되지 않음"),
            Label::LessonBack => ("‹ Back", "‹ 이전"),
            Label::LessonNext => ("Next ›", "다음 ›"),
            Label::LessonClose => ("Close the lesson", "실습 닫기"),
        };
        match self {
            Language::English => english,
            Language::Korean => korean,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_label_everything_and_the_toggle_names_the_other_language() {
        assert_eq!(Language::English.text(Label::Apply), "Apply");
        assert_eq!(Language::Korean.text(Label::Apply), "적용");
        assert_eq!(Language::English.text(Label::LanguageToggle), "한국어");
        assert_eq!(Language::Korean.other(), Language::English);
        assert_eq!(Language::English.step_of(2, 5), "Step 2 of 5");
        assert_eq!(Language::Korean.step_of(2, 5), "5단계 중 2단계");
        assert_eq!(Language::from_code("ko-KR"), Language::Korean);
        assert_eq!(Language::from_code("en-US"), Language::English);
        assert_eq!(Language::from_code(""), Language::English);
        let opened = Notice::SharedLinkOpened { seed: 7, inputs: 0 };
        assert!(Language::English.notice(&opened).contains("seed 7"));
        assert!(Language::Korean.notice(&opened).contains("시드 7"));
        assert_eq!(
            Language::English.detailed_caption(1, 0),
            "Detailed view: 1 pod, 0 waiting to be scheduled"
        );
        assert_eq!(
            Language::English.pixel_caption(2050, 2000),
            "Pixel view: 2050 pods — more than 2000 visible, drawn as blocks"
        );
    }
}
