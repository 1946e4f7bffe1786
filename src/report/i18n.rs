//! The report's fixed text in English and Turkish, and numbers written the way each language
//! writes them (`82.5 %` and `20,000` in English; `%82,5` and `20.000` in Turkish).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditType;
use crate::evidence::Status;
use crate::findings::ActionStatus;
use crate::grade::Grade;
use crate::metric::Comparator;
use crate::sampling::Stratum;
use crate::scoring::Decision;
pub use crate::scoring::DriverKind;

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, rename = "ReportLang")]
pub enum Lang {
    En,
    Tr,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Tr => "tr",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "en" => Some(Lang::En),
            "tr" => Some(Lang::Tr),
            _ => None,
        }
    }

    /// The fixed text of this language.
    pub fn text(self) -> &'static Labels {
        match self {
            Lang::En => &EN,
            Lang::Tr => &TR,
        }
    }
}

/// Every fixed label the renderers print.
#[derive(Debug, Serialize, TS)]
#[ts(export, rename = "ReportLabels")]
pub struct Labels {
    pub title: &'static str,
    pub title_self: &'static str,
    pub self_notice: &'static str,
    pub self_explained: &'static str,
    pub page: &'static str,
    pub of: &'static str,
    pub generated: &'static str,
    pub organisation: &'static str,
    pub site: &'static str,
    pub scope: &'static str,
    pub channels: &'static str,
    pub audit_type: &'static str,
    pub dates: &'static str,
    pub auditors: &'static str,
    pub prepared_by: &'static str,
    pub checklist: &'static str,
    pub checklist_version: &'static str,
    pub checklist_sha: &'static str,
    pub audit_file: &'static str,
    pub audit_data_sha: &'static str,
    pub summary: &'static str,
    pub decision: &'static str,
    pub decision_self: &'static str,
    pub rule: &'static str,
    pub drivers: &'static str,
    pub overall_score: &'static str,
    pub grade_counts: &'static str,
    pub sections_chart: &'static str,
    pub grades_chart: &'static str,
    pub section_scores: &'static str,
    pub section: &'static str,
    pub score: &'static str,
    pub assessed: &'static str,
    pub not_applicable_short: &'static str,
    pub not_assessed_short: &'static str,
    pub total: &'static str,
    pub clauses: &'static str,
    pub clause: &'static str,
    pub requirement: &'static str,
    pub grade: &'static str,
    pub suggested: &'static str,
    pub note: &'static str,
    pub attachments: &'static str,
    pub attached_file: &'static str,
    pub interview_note: &'static str,
    pub reason: &'static str,
    pub mandatory: &'static str,
    pub weight: &'static str,
    pub metrics: &'static str,
    pub metric: &'static str,
    pub figure: &'static str,
    pub kn: &'static str,
    pub interval: &'static str,
    pub target: &'static str,
    pub status: &'static str,
    pub formula: &'static str,
    pub advice: &'static str,
    pub source: &'static str,
    pub no_records: &'static str,
    pub findings: &'static str,
    pub no_findings: &'static str,
    pub finding: &'static str,
    pub statement: &'static str,
    pub evidence: &'static str,
    pub cause: &'static str,
    pub action: &'static str,
    pub owner: &'static str,
    pub due: &'static str,
    pub planned: &'static str,
    pub not_planned: &'static str,
    pub inactive: &'static str,
    pub active: &'static str,
    pub sampling: &'static str,
    pub no_sample: &'static str,
    pub sample: &'static str,
    pub method: &'static str,
    pub seed: &'static str,
    pub population: &'static str,
    pub size: &'static str,
    pub strata: &'static str,
    pub stratum: &'static str,
    pub drawn: &'static str,
    pub unstratified: &'static str,
    pub drawn_at: &'static str,
    pub qa_checks: &'static str,
    pub redraw: &'static str,
    pub settings: &'static str,
    pub setting: &'static str,
    pub value: &'static str,
    pub changed: &'static str,
    pub lineage: &'static str,
    pub lineage_intro: &'static str,
    pub contacts: &'static str,
    pub complaints: &'static str,
    pub end_of_data: &'static str,
    pub import: &'static str,
    pub kind: &'static str,
    pub file: &'static str,
    pub file_size: &'static str,
    pub sha256: &'static str,
    pub preset: &'static str,
    pub encoding: &'static str,
    pub imported_at: &'static str,
    pub rows_read: &'static str,
    pub accepted: &'static str,
    pub rejected: &'static str,
    pub skipped: &'static str,
    pub records: &'static str,
    pub rejected_rows: &'static str,
    pub line: &'static str,
    pub column: &'static str,
    pub more_rejected: &'static str,
    pub no_imports: &'static str,
    pub integrity: &'static str,
    pub integrity_intro: &'static str,
    pub verify_command: &'static str,
    pub signatures: &'static str,
    pub signature: &'static str,
    pub date: &'static str,
    pub name: &'static str,
    pub none: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
}

pub static EN: Labels = Labels {
    title: "Certification readiness report",
    title_self: "Self-assessment readiness report",
    self_notice: "Self-assessment — not a certification recommendation",
    self_explained: "This report records the organisation's own assessment against the checklist. It was not made by a certification body and is not a certification recommendation.",
    page: "Page",
    of: "of",
    generated: "Generated",
    organisation: "Organisation",
    site: "Site",
    scope: "Scope",
    channels: "Channels",
    audit_type: "Audit type",
    dates: "Dates",
    auditors: "Auditors",
    prepared_by: "Prepared by",
    checklist: "Checklist",
    checklist_version: "Version",
    checklist_sha: "Checklist SHA-256",
    audit_file: "Audit file",
    audit_data_sha: "Audit data SHA-256",
    summary: "Executive summary",
    decision: "Readiness decision",
    decision_self: "Self-assessed readiness",
    rule: "Rule applied",
    drivers: "Clauses that drove the decision",
    overall_score: "Overall score",
    grade_counts: "Grades",
    sections_chart: "Section scores (0–100)",
    grades_chart: "Clauses by grade",
    section_scores: "Section scores",
    section: "Section",
    score: "Score",
    assessed: "Assessed",
    not_applicable_short: "N/A",
    not_assessed_short: "Not assessed",
    total: "Total",
    clauses: "Clause by clause",
    clause: "Clause",
    requirement: "Requirement",
    grade: "Grade",
    suggested: "Suggested",
    note: "Note",
    attachments: "Evidence attached",
    attached_file: "file",
    interview_note: "interview note",
    reason: "Reason",
    mandatory: "mandatory",
    weight: "weight",
    metrics: "Metrics",
    metric: "Metric",
    figure: "Figure",
    kn: "k / n",
    interval: "95 % interval",
    target: "Target",
    status: "Status",
    formula: "Formula",
    advice: "Assessment",
    source: "Source",
    no_records: "no records",
    findings: "Findings and corrective actions",
    no_findings: "No nonconformity was recorded.",
    finding: "Finding",
    statement: "Statement",
    evidence: "Evidence",
    cause: "Cause",
    action: "Corrective action",
    owner: "Owner",
    due: "Due",
    planned: "corrective action planned",
    not_planned: "no corrective-action plan yet",
    inactive: "clause regraded; kept for the record",
    active: "Active",
    sampling: "Sampling statement",
    no_sample: "No QA listening sample was drawn in this audit.",
    sample: "Sample",
    method: "Method",
    seed: "Seed",
    population: "Population",
    size: "Size",
    strata: "Strata",
    stratum: "Stratum",
    drawn: "Drawn",
    unstratified: "none (simple random sample)",
    drawn_at: "Drawn at",
    qa_checks: "QA checks",
    redraw: "The seed and strata are recorded: the same draw can be repeated from the same records.",
    settings: "Settings used",
    setting: "Setting",
    value: "Value",
    changed: "changed from the checklist default",
    lineage: "Appendix: data lineage",
    lineage_intro: "Every file imported into the audit, with its SHA-256 and row counts. Every figure above names the imports it was computed from.",
    contacts: "Contacts",
    complaints: "Complaints",
    end_of_data: "End of data",
    import: "Import",
    kind: "Kind",
    file: "File",
    file_size: "Size (bytes)",
    sha256: "SHA-256",
    preset: "Preset",
    encoding: "Encoding",
    imported_at: "Imported",
    rows_read: "Rows read",
    accepted: "Accepted",
    rejected: "Rejected",
    skipped: "Skipped",
    records: "Records",
    rejected_rows: "Rejected rows",
    line: "Line",
    column: "Column",
    more_rejected: "more rejected rows are kept in the audit file",
    no_imports: "No records were imported.",
    integrity: "Integrity",
    integrity_intro: "The manifest of this report holds the SHA-256 of its content and of the audit data above. Check both with:",
    verify_command: "clausewise verify REPORT --audit AUDIT.ccaudit",
    signatures: "Signatures",
    signature: "Signature",
    date: "Date",
    name: "Name",
    none: "—",
    yes: "yes",
    no: "no",
};

pub static TR: Labels = Labels {
    title: "Belgelendirme hazırlık raporu",
    title_self: "Öz değerlendirme hazırlık raporu",
    self_notice: "Öz değerlendirme — belgelendirme tavsiyesi değildir",
    self_explained: "Bu rapor kuruluşun kontrol listesine göre kendi yaptığı değerlendirmeyi kaydeder. Bir belgelendirme kuruluşunca hazırlanmamıştır ve belgelendirme tavsiyesi değildir.",
    page: "Sayfa",
    of: "/",
    generated: "Oluşturulma",
    organisation: "Kuruluş",
    site: "Saha",
    scope: "Kapsam",
    channels: "Kanallar",
    audit_type: "Denetim türü",
    dates: "Tarihler",
    auditors: "Denetçiler",
    prepared_by: "Hazırlayan",
    checklist: "Kontrol listesi",
    checklist_version: "Sürüm",
    checklist_sha: "Kontrol listesi SHA-256",
    audit_file: "Denetim dosyası",
    audit_data_sha: "Denetim verisi SHA-256",
    summary: "Yönetici özeti",
    decision: "Hazırlık kararı",
    decision_self: "Öz değerlendirmeye göre hazırlık",
    rule: "Uygulanan kural",
    drivers: "Kararı belirleyen maddeler",
    overall_score: "Genel puan",
    grade_counts: "Dereceler",
    sections_chart: "Bölüm puanları (0–100)",
    grades_chart: "Derecelere göre maddeler",
    section_scores: "Bölüm puanları",
    section: "Bölüm",
    score: "Puan",
    assessed: "Değerlendirilen",
    not_applicable_short: "Uyg. değil",
    not_assessed_short: "Değerlendirilmedi",
    total: "Toplam",
    clauses: "Madde madde değerlendirme",
    clause: "Madde",
    requirement: "Gereklilik",
    grade: "Derece",
    suggested: "Önerilen",
    note: "Not",
    attachments: "Ekli kanıtlar",
    attached_file: "dosya",
    interview_note: "görüşme notu",
    reason: "Gerekçe",
    mandatory: "zorunlu",
    weight: "ağırlık",
    metrics: "Ölçütler",
    metric: "Ölçüt",
    figure: "Değer",
    kn: "k / n",
    interval: "%95 aralığı",
    target: "Hedef",
    status: "Durum",
    formula: "Formül",
    advice: "Değerlendirme",
    source: "Kaynak",
    no_records: "kayıt yok",
    findings: "Bulgular ve düzeltici faaliyetler",
    no_findings: "Hiçbir uygunsuzluk kaydedilmedi.",
    finding: "Bulgu",
    statement: "Tespit",
    evidence: "Kanıt",
    cause: "Kök neden",
    action: "Düzeltici faaliyet",
    owner: "Sorumlu",
    due: "Termin",
    planned: "düzeltici faaliyet planlandı",
    not_planned: "henüz düzeltici faaliyet planı yok",
    inactive: "madde yeniden derecelendirildi; kayıt için saklanıyor",
    active: "Geçerli",
    sampling: "Örnekleme beyanı",
    no_sample: "Bu denetimde kalite dinlemesi için örneklem çekilmedi.",
    sample: "Örneklem",
    method: "Yöntem",
    seed: "Tohum",
    population: "Evren",
    size: "Büyüklük",
    strata: "Tabakalar",
    stratum: "Tabaka",
    drawn: "Çekilen",
    unstratified: "yok (basit rastgele örneklem)",
    drawn_at: "Çekilme zamanı",
    qa_checks: "Kalite kontrolleri",
    redraw: "Tohum ve tabakalar kayıtlıdır: aynı kayıtlardan aynı çekiliş tekrarlanabilir.",
    settings: "Kullanılan ayarlar",
    setting: "Ayar",
    value: "Değer",
    changed: "kontrol listesindeki varsayılandan değiştirildi",
    lineage: "Ek: veri kökeni",
    lineage_intro: "Denetime aktarılan her dosya, SHA-256 özeti ve satır sayılarıyla. Yukarıdaki her değer, hesaplandığı aktarımları belirtir.",
    contacts: "Temaslar",
    complaints: "Şikâyetler",
    end_of_data: "Veri sonu",
    import: "Aktarım",
    kind: "Tür",
    file: "Dosya",
    file_size: "Boyut (bayt)",
    sha256: "SHA-256",
    preset: "Ön ayar",
    encoding: "Kodlama",
    imported_at: "Aktarılma",
    rows_read: "Okunan satır",
    accepted: "Kabul",
    rejected: "Ret",
    skipped: "Atlanan",
    records: "Kayıt",
    rejected_rows: "Reddedilen satırlar",
    line: "Satır",
    column: "Sütun",
    more_rejected: "reddedilen satır daha denetim dosyasında saklanıyor",
    no_imports: "Hiç kayıt aktarılmadı.",
    integrity: "Bütünlük",
    integrity_intro: "Bu raporun bildirimi, içeriğinin ve yukarıdaki denetim verisinin SHA-256 özetlerini taşır. İkisini şu komutla doğrulayın:",
    verify_command: "clausewise verify RAPOR --audit DENETIM.ccaudit",
    signatures: "İmzalar",
    signature: "İmza",
    date: "Tarih",
    name: "Ad",
    none: "—",
    yes: "evet",
    no: "hayır",
};

impl Lang {
    pub fn audit_type(self, t: AuditType) -> &'static str {
        match (self, t) {
            (Lang::En, t) => t.label(),
            (Lang::Tr, AuditType::Stage1) => "1. aşama denetimi",
            (Lang::Tr, AuditType::Stage2) => "2. aşama denetimi",
            (Lang::Tr, AuditType::Surveillance) => "Gözetim denetimi",
            (Lang::Tr, AuditType::SelfAssessment) => "Öz değerlendirme",
        }
    }

    pub fn grade(self, g: Grade) -> &'static str {
        match (self, g) {
            (Lang::En, g) => g.label(),
            (Lang::Tr, Grade::Conforming) => "uygun",
            (Lang::Tr, Grade::Observation) => "gözlem",
            (Lang::Tr, Grade::Ofi) => "iyileştirme fırsatı",
            (Lang::Tr, Grade::Minor) => "minör uygunsuzluk",
            (Lang::Tr, Grade::Major) => "majör uygunsuzluk",
            (Lang::Tr, Grade::Na) => "uygulanamaz",
            (Lang::Tr, Grade::NotAssessed) => "değerlendirilmedi",
        }
    }

    pub fn decision(self, d: Decision) -> &'static str {
        match (self, d) {
            (Lang::En, Decision::Ready) => "Ready",
            (Lang::En, Decision::ReadySubjectToCorrectiveActions) => {
                "Ready subject to corrective actions"
            }
            (Lang::En, Decision::ConditionallyReady) => "Conditionally ready",
            (Lang::En, Decision::NotReady) => "Not ready",
            (Lang::En, Decision::Incomplete) => "Incomplete",
            (Lang::Tr, Decision::Ready) => "Hazır",
            (Lang::Tr, Decision::ReadySubjectToCorrectiveActions) => {
                "Düzeltici faaliyetlere bağlı olarak hazır"
            }
            (Lang::Tr, Decision::ConditionallyReady) => "Koşullu olarak hazır",
            (Lang::Tr, Decision::NotReady) => "Hazır değil",
            (Lang::Tr, Decision::Incomplete) => "Tamamlanmadı",
        }
    }

    /// The rule of grading.md that produced `d`.
    pub fn rule(self, d: Decision) -> &'static str {
        match (self, d) {
            (Lang::En, d) => d.rule(),
            (Lang::Tr, Decision::Incomplete) => "zorunlu bir madde değerlendirilmemiş",
            (Lang::Tr, Decision::NotReady) => "bir veya daha fazla majör uygunsuzluk",
            (Lang::Tr, Decision::ReadySubjectToCorrectiveActions) => {
                "majör yok; en az bir minör var ve her birinin düzeltici faaliyet planı var"
            }
            (Lang::Tr, Decision::ConditionallyReady) => {
                "majör yok; düzeltici faaliyet planı olmayan bir minör var"
            }
            (Lang::Tr, Decision::Ready) => "uygunsuzluk yok",
        }
    }

    /// Why a clause drove the decision.
    pub fn driver(self, kind: DriverKind) -> &'static str {
        match (self, kind) {
            (Lang::En, DriverKind::MandatoryNotAssessed) => "mandatory and not assessed",
            (Lang::En, DriverKind::Major) => "major nonconformity",
            (Lang::En, DriverKind::MinorPlanned) => {
                "minor nonconformity with a corrective-action plan"
            }
            (Lang::En, DriverKind::MinorUnplanned) => {
                "minor nonconformity without a corrective-action plan"
            }
            (Lang::Tr, DriverKind::MandatoryNotAssessed) => "zorunlu ve değerlendirilmedi",
            (Lang::Tr, DriverKind::Major) => "majör uygunsuzluk",
            (Lang::Tr, DriverKind::MinorPlanned) => {
                "düzeltici faaliyet planı olan minör uygunsuzluk"
            }
            (Lang::Tr, DriverKind::MinorUnplanned) => {
                "düzeltici faaliyet planı olmayan minör uygunsuzluk"
            }
        }
    }

    /// A suggested major: a zero-tolerance metric breached in `share` (0–1) of its population,
    /// more than `limit`.
    pub fn breach_reason(self, id: &str, share: f64, limit: f64) -> String {
        match self {
            Lang::En => format!(
                "{id}: zero-tolerance breach in {:.1} % of the population (over {:.0} %)",
                share * 100.0,
                limit * 100.0
            ),
            Lang::Tr => format!(
                "{id}: evrenin {}'inde sıfır tolerans ihlali (%{} üstü)",
                self.pct_fixed(share, 1),
                self.num(limit * 100.0, 0)
            ),
        }
    }

    /// A suggested minor: a missed target, with the metric's advice.
    pub fn missed_reason(self, id: &str, advice: &str) -> String {
        match self {
            Lang::En => format!("{id}: target missed — {advice}"),
            Lang::Tr => format!("{id}: hedef tutturulamadı — {advice}"),
        }
    }

    /// A suggested major: `n` minor nonconformities on one clause.
    pub fn systemic_reason(self, n: usize) -> String {
        match self {
            Lang::En => format!("{n} minor nonconformities on one clause: systemic (major)"),
            Lang::Tr => format!("bir maddede {n} minör uygunsuzluk: sistematik (majör)"),
        }
    }

    /// The minor nonconformities recorded as findings on a clause.
    pub fn minor_findings_reason(self, n: usize) -> String {
        match self {
            Lang::En => format!(
                "{n} minor nonconformit{} recorded as findings",
                if n == 1 { "y" } else { "ies" }
            ),
            Lang::Tr => format!("bulgu olarak kaydedilmiş {n} minör uygunsuzluk"),
        }
    }

    /// A suggested conforming grade: every assessable metric passes.
    pub fn all_pass_reason(self, ids: &[String]) -> String {
        match self {
            Lang::En => format!("all assessable metrics pass: {}", ids.join(", ")),
            Lang::Tr => format!(
                "değerlendirilebilen tüm ölçütler karşılanıyor: {}",
                ids.join(", ")
            ),
        }
    }

    /// What a ready decision rests on (no clause drove it).
    pub fn no_nonconformity(self) -> &'static str {
        match self {
            Lang::En => "no clause is graded a nonconformity",
            Lang::Tr => "hiçbir madde uygunsuzluk olarak derecelendirilmedi",
        }
    }

    pub fn status(self, s: Status) -> &'static str {
        match (self, s) {
            (Lang::En, Status::Pass) => "pass",
            (Lang::En, Status::Fail) => "fail",
            (Lang::En, Status::Inconclusive) => "inconclusive",
            (Lang::En, Status::NotAssessable) => "not assessable",
            (Lang::En, Status::Monitor) => "monitored",
            (Lang::Tr, Status::Pass) => "karşılıyor",
            (Lang::Tr, Status::Fail) => "karşılamıyor",
            (Lang::Tr, Status::Inconclusive) => "belirsiz",
            (Lang::Tr, Status::NotAssessable) => "değerlendirilemez",
            (Lang::Tr, Status::Monitor) => "izleniyor",
        }
    }

    pub fn action_status(self, s: ActionStatus) -> &'static str {
        match (self, s) {
            (Lang::En, ActionStatus::Open) => "open",
            (Lang::En, ActionStatus::InProgress) => "in progress",
            (Lang::En, ActionStatus::Done) => "done",
            (Lang::En, ActionStatus::Verified) => "verified",
            (Lang::Tr, ActionStatus::Open) => "açık",
            (Lang::Tr, ActionStatus::InProgress) => "sürüyor",
            (Lang::Tr, ActionStatus::Done) => "tamamlandı",
            (Lang::Tr, ActionStatus::Verified) => "doğrulandı",
        }
    }

    pub fn stratum(self, s: Stratum) -> &'static str {
        match (self, s) {
            (Lang::En, Stratum::Channel) => "channel",
            (Lang::En, Stratum::Queue) => "queue",
            (Lang::En, Stratum::Month) => "month",
            (Lang::En, Stratum::Weekday) => "weekday / weekend",
            (Lang::Tr, Stratum::Channel) => "kanal",
            (Lang::Tr, Stratum::Queue) => "kuyruk",
            (Lang::Tr, Stratum::Month) => "ay",
            (Lang::Tr, Stratum::Weekday) => "hafta içi / hafta sonu",
        }
    }

    pub fn kind(self, kind: &str) -> String {
        match (self, kind) {
            (Lang::En, "calls") => "calls".into(),
            (Lang::En, "complaints") => "complaints".into(),
            (Lang::Tr, "calls") => "çağrılar".into(),
            (Lang::Tr, "complaints") => "şikâyetler".into(),
            (_, other) => other.into(),
        }
    }

    /// The name of a setting (a parameter of the metrics).
    pub fn parameter(self, key: &str) -> String {
        let (en, tr) = match key {
            "service_level_seconds" => (
                "T: service-level answer time (s)",
                "T: hizmet düzeyi yanıt süresi (sn)",
            ),
            "short_abandon_seconds" => ("Short-abandon cut-off (s)", "Kısa terk sınırı (sn)"),
            "complaint_resolution_days" => (
                "D: complaint resolution time (days)",
                "D: şikâyet çözüm süresi (gün)",
            ),
            "calling_hours_start" => (
                "Outbound calling hours from",
                "Giden arama saatleri başlangıcı",
            ),
            "calling_hours_end" => ("Outbound calling hours to", "Giden arama saatleri bitişi"),
            "opt_out_grace_days" => (
                "Opt-out grace period (days)",
                "Ret sonrası tolerans süresi (gün)",
            ),
            "corrective_action_due_days" => (
                "Corrective action due after the audit (days)",
                "Düzeltici faaliyet termini, denetimden sonra (gün)",
            ),
            other => return other.to_string(),
        };
        match self {
            Lang::En => en.into(),
            Lang::Tr => tr.into(),
        }
    }

    /// A metric's name.
    pub fn metric_name(self, id: &str) -> String {
        let (en, tr) = match id {
            "service_level" => ("Service level", "Hizmet düzeyi"),
            "abandon_rate" => ("Abandon rate", "Terk oranı"),
            "asa_seconds" => ("Average speed of answer", "Ortalama yanıt süresi"),
            "agent_or_callback_60s" => (
                "Agent or callback within 60 s",
                "60 sn içinde temsilci veya geri arama",
            ),
            "callback_offer_after_60s" => (
                "Callback offered after 60 s",
                "60 sn sonra geri arama teklifi",
            ),
            "agent_id_recorded" => ("Agent id recorded", "Temsilci kimliği kaydı"),
            "survey_coverage" => ("Survey coverage", "Anket kapsamı"),
            "csat_top2" => ("Customer satisfaction (4–5)", "Müşteri memnuniyeti (4–5)"),
            "escalation_available" => ("Escalation used", "Üst kademeye aktarım kullanımı"),
            "channels_present" => ("Channels present", "Mevcut kanallar"),
            "outbound_outside_hours" => {
                ("Outbound calls outside hours", "Saat dışı giden aramalar")
            }
            "outbound_without_consent" => {
                ("Outbound calls without consent", "İzinsiz giden aramalar")
            }
            "contact_after_opt_out" => ("Contact after opt-out", "Ret sonrası temas"),
            "complaint_ack_24h" => (
                "Complaints acknowledged within 24 h",
                "24 saat içinde alındı bildirilen şikâyetler",
            ),
            "complaint_reference_given" => (
                "Complaint reference given",
                "Şikâyet referans numarası verilmesi",
            ),
            "complaint_eta_given" => (
                "Expected resolution time given",
                "Tahmini çözüm süresi bildirilmesi",
            ),
            "complaint_resolved_in_time" => (
                "Complaints resolved in time",
                "Zamanında çözülen şikâyetler",
            ),
            "complaint_overdue_open" => {
                ("Overdue open complaints", "Süresi geçmiş açık şikâyetler")
            }
            "complaint_satisfied" => ("Satisfied complainants", "Memnun şikâyetçiler"),
            "complaints_per_1000" => (
                "Complaints per 1,000 contacts",
                "1.000 temas başına şikâyet",
            ),
            qa => {
                let check = qa.strip_prefix("qa_").unwrap_or(qa).replace('_', " ");
                return match self {
                    Lang::En => format!("QA: {check}"),
                    Lang::Tr => format!("Kalite: {check}"),
                };
            }
        };
        match self {
            Lang::En => en.into(),
            Lang::Tr => tr.into(),
        }
    }

    /// A metric's formula in words (English from metrics.md; Turkish here).
    pub fn formula(self, id: &str, english: &str) -> String {
        if self == Lang::En {
            return english.to_string();
        }
        match id {
            "service_level" => "T saniye içinde yanıtlanan sunulan temaslar / sunulan yanıtlanan + sunulan terk edilen",
            "abandon_rate" => "sunulan terk edilen / (sunulan yanıtlanan + sunulan terk edilen + geri arama)",
            "asa_seconds" => "yanıtlanan sunulan temasların ortalama kuyruk süresi, p50 ve p90 ile",
            "agent_or_callback_60s" => "60 sn içinde yanıtlanan veya geri arama teklif edilen sunulan temaslar / sunulan temaslar",
            "callback_offer_after_60s" => "60 sn'den uzun kuyrukta bekleyip geri arama teklif edilen temaslar / 60 sn'den uzun bekleyen temaslar",
            "agent_id_recorded" => "temsilci kimliği kayıtlı yanıtlanan temaslar / yanıtlanan temaslar",
            "survey_coverage" => "anket puanı olan yanıtlanan temaslar / yanıtlanan temaslar",
            "csat_top2" => "4 veya 5 puan veren temaslar / anket puanı olan temaslar",
            "escalation_available" => "üst kademeye aktarılan temaslar / yanıtlanan temaslar (0'ın üstü, yolun kullanıldığını gösterir)",
            "channels_present" => "temas ve şikâyetlerdeki farklı kanallar",
            "outbound_outside_hours" => "arama saatleri dışında (yerel saat) başlayan giden temaslar",
            "outbound_without_consent" => "izni 'hayır' olan giden temaslar",
            "contact_after_opt_out" => "müşterinin reddinden tolerans süresinden sonra o müşteriye yapılan giden temaslar",
            "complaint_ack_24h" => "alındıktan sonra 24 saat içinde alındı bildirilen şikâyetler / şikâyetler",
            "complaint_reference_given" => "referans numarası verilen şikâyetler / bunun bilindiği şikâyetler",
            "complaint_eta_given" => "tahmini çözüm süresi bildirilen şikâyetler / bir gün içinde çözülmeyen ve bunun bilindiği şikâyetler",
            "complaint_resolved_in_time" => "D gün içinde çözülen şikâyetler / veri sonundan en az D gün önce alınan şikâyetler",
            "complaint_overdue_open" => "veri sonunda D günden eski açık şikâyetler",
            "complaint_satisfied" => "memnun şikâyetçiler / bunun bilindiği şikâyetler",
            "complaints_per_1000" => "aynı dönemde şikâyetler / temaslar × 1000",
            _ => "bu kalite kontrolünü geçen örneklem temasları / bu kontrolle değerlendirilen örneklem temasları",
        }
        .to_string()
    }

    pub fn comparator(self, c: Comparator) -> &'static str {
        match c {
            Comparator::AtLeast => "≥",
            Comparator::AtMost => "≤",
            Comparator::Monitor => "",
            Comparator::Includes => "⊇",
        }
    }

    /// A number with `decimals` places, in this language's notation.
    pub fn num(self, x: f64, decimals: usize) -> String {
        let s = format!("{x:.decimals$}");
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (s, None),
        };
        let (sign, digits) = match int.strip_prefix('-') {
            Some(d) => ("-", d.to_string()),
            None => ("", int),
        };
        let (group, point) = match self {
            Lang::En => (',', '.'),
            Lang::Tr => ('.', ','),
        };
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(ch);
        }
        match frac {
            Some(f) => format!("{sign}{grouped}{point}{f}"),
            None => format!("{sign}{grouped}"),
        }
    }

    /// `s` in capitals, with the Turkish dotted and dotless i in Turkish.
    pub fn upper(self, s: &str) -> String {
        match self {
            Lang::En => s.to_uppercase(),
            Lang::Tr => s.replace('i', "İ").replace('ı', "I").to_uppercase(),
        }
    }

    /// A count with thousands separators.
    pub fn int(self, n: u64) -> String {
        self.num(n as f64, 0)
    }

    /// A fraction 0–1 as a percentage with one decimal (none when it is whole).
    pub fn pct(self, fraction: f64) -> String {
        let p = fraction * 100.0;
        let digits = if (p - p.round()).abs() < 0.05 { 0 } else { 1 };
        let n = self.num(p, digits);
        match self {
            Lang::En => format!("{n} %"),
            Lang::Tr => format!("%{n}"),
        }
    }

    /// A fraction 0–1 as a percentage with `decimals` decimals.
    pub fn pct_fixed(self, fraction: f64, decimals: usize) -> String {
        let n = self.num(fraction * 100.0, decimals);
        match self {
            Lang::En => format!("{n} %"),
            Lang::Tr => format!("%{n}"),
        }
    }

    /// The sentence the summary opens with: the decision, why, and how many clauses drove it.
    pub fn statement(self, d: Decision, drivers: usize, self_assessment: bool) -> String {
        let n = self.int(drivers as u64);
        let one = drivers == 1;
        let s = |singular: &str, plural: &str| if one { singular } else { plural }.to_string();
        let core = match (self, d) {
            (Lang::En, Decision::Incomplete) => format!(
                "The audit is incomplete: {n} mandatory {} not assessed yet.",
                s("clause is", "clauses are")
            ),
            (Lang::En, Decision::NotReady) => format!(
                "The organisation is not ready: {n} major {}.",
                s("nonconformity", "nonconformities")
            ),
            (Lang::En, Decision::ReadySubjectToCorrectiveActions) => format!(
                "The organisation is ready subject to corrective actions: {n} minor {}, each with a corrective-action plan.",
                s("nonconformity", "nonconformities")
            ),
            (Lang::En, Decision::ConditionallyReady) => format!(
                "The organisation is conditionally ready: {n} minor {} no corrective-action plan yet.",
                s("nonconformity has", "nonconformities have")
            ),
            (Lang::En, Decision::Ready) => {
                "The organisation is ready: no clause is graded a nonconformity.".to_string()
            }
            (Lang::Tr, Decision::Incomplete) => {
                format!("Denetim tamamlanmadı: {n} zorunlu madde henüz değerlendirilmedi.")
            }
            (Lang::Tr, Decision::NotReady) => {
                format!("Kuruluş hazır değil: {n} majör uygunsuzluk var.")
            }
            (Lang::Tr, Decision::ReadySubjectToCorrectiveActions) => format!(
                "Kuruluş düzeltici faaliyetlere bağlı olarak hazır: {n} minör uygunsuzluğun her biri için düzeltici faaliyet planı var."
            ),
            (Lang::Tr, Decision::ConditionallyReady) => format!(
                "Kuruluş koşullu olarak hazır: {n} minör uygunsuzluğun henüz düzeltici faaliyet planı yok."
            ),
            (Lang::Tr, Decision::Ready) => {
                "Kuruluş hazır: hiçbir madde uygunsuzluk olarak derecelendirilmedi.".to_string()
            }
        };
        match (self, self_assessment) {
            (_, false) => core,
            (Lang::En, true) => format!(
                "Self-assessment: {core} This is the organisation's own assessment, not a certification recommendation."
            ),
            (Lang::Tr, true) => format!(
                "Öz değerlendirme: {core} Bu, kuruluşun kendi değerlendirmesidir; belgelendirme tavsiyesi değildir."
            ),
        }
    }

    /// A grade's short name, for chart labels.
    pub fn grade_short(self, g: Grade) -> &'static str {
        match (self, g) {
            (Lang::En, Grade::Conforming) => "conforming",
            (Lang::En, Grade::Observation) => "observation",
            (Lang::En, Grade::Ofi) => "OFI",
            (Lang::En, Grade::Minor) => "minor",
            (Lang::En, Grade::Major) => "major",
            (Lang::En, Grade::Na) => "N/A",
            (Lang::En, Grade::NotAssessed) => "not assessed",
            (Lang::Tr, Grade::Conforming) => "uygun",
            (Lang::Tr, Grade::Observation) => "gözlem",
            (Lang::Tr, Grade::Ofi) => "İF",
            (Lang::Tr, Grade::Minor) => "minör",
            (Lang::Tr, Grade::Major) => "majör",
            (Lang::Tr, Grade::Na) => "uyg. değil",
            (Lang::Tr, Grade::NotAssessed) => "değerl. değil",
        }
    }

    /// Seconds with one decimal.
    pub fn secs(self, s: f64) -> String {
        match self {
            Lang::En => format!("{} s", self.num(s, 1)),
            Lang::Tr => format!("{} sn", self.num(s, 1)),
        }
    }

    /// The advice of an evidence result in this language, from its figures.
    pub fn advice(self, m: &crate::evidence::MetricResult) -> String {
        use crate::metric::Unit;
        if self == Lang::En {
            return m.advice.clone();
        }
        let rate = m.value.map(|v| self.pct(v)).unwrap_or_default();
        let goal = m
            .target
            .map(|t| format!("{} {}", self.comparator(m.comparator), self.pct(t)))
            .unwrap_or_default();
        let kn = match m.k {
            Some(k) => format!("{}/{}", self.int(k), self.int(m.n)),
            None => format!("n = {}", self.int(m.n)),
        };
        match m.status {
            Status::NotAssessable => "Değerlendirilemez: evreninde hiç kayıt yok.".to_string(),
            Status::Monitor => "İzleniyor: hedef yok.".to_string(),
            Status::Pass | Status::Fail => {
                let verdict = if m.status == Status::Pass {
                    "Karşılıyor"
                } else {
                    "Karşılamıyor"
                };
                match m.unit {
                    Unit::Seconds => format!(
                        "{verdict}: ortalama {}, hedef {}.",
                        self.secs(m.value.unwrap_or(0.0)),
                        m.target.map(|t| self.secs(t)).unwrap_or_default()
                    ),
                    Unit::Channels if m.status == Status::Pass => {
                        format!("{verdict}: {} mevcut.", m.channels.join(", "))
                    }
                    Unit::Channels => {
                        let missing: Vec<&str> = m
                            .required_channels
                            .iter()
                            .filter(|c| !m.channels.contains(c))
                            .map(String::as_str)
                            .collect();
                        format!("{verdict}: {} kanalında kayıt yok.", missing.join(", "))
                    }
                    _ if m.zero_tolerance => {
                        let breaches = match (m.unit, m.k) {
                            (Unit::Count, Some(k)) => k,
                            (_, Some(k)) => m.n - k,
                            _ => 0,
                        };
                        if breaches == 0 {
                            format!("{verdict}: {} kayıtta hiç ihlal yok.", self.int(m.n))
                        } else {
                            format!(
                                "{verdict}: {} kayıtta {} ihlal ({}); sıfır tolerans.",
                                self.int(m.n),
                                self.int(breaches),
                                self.pct(breaches as f64 / m.n.max(1) as f64)
                            )
                        }
                    }
                    _ => format!("{verdict}: {rate} ({kn}), hedef {goal}."),
                }
            }
            Status::Inconclusive => match m.more_records {
                Some(more) => format!(
                    "Belirsiz: değer aynı kalırsa yaklaşık {} kayıt daha (n = {}) sonucu belirler.",
                    self.int(more),
                    self.int(m.n + more)
                ),
                None => {
                    "Belirsiz: değer hedefe eşit; daha fazla kayıt sonucu belirlemez.".to_string()
                }
            },
        }
    }

    /// A sampling method stored in words (by `SizeRule::describe`), in this language.
    pub fn sampling_method(self, english: &str) -> String {
        if self == Lang::En {
            return english.to_string();
        }
        let pct = |s: &str| -> String {
            let n = s
                .trim()
                .trim_end_matches('%')
                .trim()
                .trim_start_matches('±');
            n.parse::<f64>()
                .map(|v| self.pct(v / 100.0))
                .unwrap_or_else(|_| s.to_string())
        };
        if let Some(size) = english
            .strip_prefix("fixed size of ")
            .and_then(|r| r.strip_suffix(" chosen by the auditor"))
        {
            return format!("denetçinin seçtiği sabit büyüklük: {size}");
        }
        if let Some(rest) = english.strip_prefix("zero-defect attribute sampling at ") {
            if let Some((c, rest)) = rest.split_once(" confidence, ") {
                if let Some((p, _)) = rest.split_once(" tolerable deviation rate") {
                    return format!(
                        "sıfır hata nitelik örneklemesi: {} güven, {} kabul edilebilir sapma oranı (n = ⌈ln(1−C)/ln(1−p)⌉)",
                        pct(c),
                        pct(p)
                    );
                }
            }
        }
        if let Some(rest) = english.strip_prefix("estimating a rate to ±") {
            if let Some((e, rest)) = rest.split_once(" at ") {
                if let Some((c, _)) = rest.split_once(" confidence") {
                    return format!(
                        "bir oranın ±{} hata payıyla tahmini, {} güven (n₀ = z²·p(1−p)/e², p = 0,5, sonlu evren düzeltmesiyle)",
                        pct(e),
                        pct(c)
                    );
                }
            }
        }
        english.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::SizeRule;

    #[test]
    fn numbers_follow_each_language() {
        assert_eq!(Lang::En.int(1_234_567), "1,234,567");
        assert_eq!(Lang::Tr.int(1_234_567), "1.234.567");
        assert_eq!(Lang::En.pct(0.825), "82.5 %");
        assert_eq!(Lang::Tr.pct(0.825), "%82,5");
        assert_eq!(Lang::Tr.pct(0.8), "%80");
        assert_eq!(Lang::En.num(-1234.5, 1), "-1,234.5");
        assert_eq!(Lang::En.int(999), "999");
        assert_eq!(Lang::Tr.upper("2. aşama denetimi"), "2. AŞAMA DENETİMİ");
        assert_eq!(Lang::Tr.upper("ılık"), "ILIK");
        assert_eq!(Lang::En.upper("Stage 2 audit"), "STAGE 2 AUDIT");
    }

    #[test]
    fn every_sampling_method_is_translated() {
        for rule in [
            SizeRule::Fixed { size: 40 },
            SizeRule::ZeroDefect {
                confidence: 0.95,
                tolerable: 0.05,
            },
            SizeRule::Estimate {
                confidence: 0.95,
                margin: 0.05,
            },
        ] {
            let english = rule.describe();
            let turkish = Lang::Tr.sampling_method(&english);
            assert_ne!(turkish, english, "{english} is not translated");
            assert!(!turkish.contains("sampling"), "{turkish}");
        }
        let zd = Lang::Tr.sampling_method(
            &SizeRule::ZeroDefect {
                confidence: 0.95,
                tolerable: 0.05,
            }
            .describe(),
        );
        assert!(zd.contains("%95 güven") && zd.contains("%5 kabul"), "{zd}");
    }
}
