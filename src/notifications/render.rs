//! Messages from templates: askama files under `templates/mail/` (a subject, a plain text and an
//! HTML body per kind, checked at compile time), assembled into one RFC 5322 message by lettre
//! (RFC 2047 encoding of names and subjects, MIME parts, attachments). Values from people (names,
//! titles) never reach a header raw: lettre encodes them, and line breaks are removed first.

use std::time::SystemTime;

use askama::Template;
use chrono::{DateTime, Utc};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

/// What every template may show.
#[derive(Debug, Clone, Default)]
pub struct Letter {
    /// The recipient's name, as in "Bonjour …".
    pub name: String,
    /// The training's title, the club meeting's title or the complaint's date.
    pub title: String,
    /// Half-days or the meeting, one line each, in local time.
    pub when: Vec<String>,
    /// The time zone of those lines.
    pub zone: String,
    pub place: Option<String>,
    /// The online link.
    pub link: Option<String>,
    /// Why something was cancelled.
    pub reason: Option<String>,
    /// A longer text (a complaint's answer).
    pub text: Option<String>,
    /// Where to read more.
    pub url: Option<String>,
    /// A verification code.
    pub code: Option<String>,
    /// The unsubscribe link of an optional message.
    pub unsubscribe: Option<String>,
    /// Who signs.
    pub signature: String,
}

/// Subject, plain text and HTML of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

macro_rules! kinds {
    ($($variant:ident $module:ident $name:literal [$subject:tt, $text:tt, $html:tt]),* $(,)?) => {
        /// Every message template (a file triple under `templates/mail/`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Kind {
            $($variant),*
        }

        impl Kind {
            /// The template's name (the files' stem).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name),*
                }
            }

            /// Renders the subject, the text and the HTML of the message.
            pub fn render(self, l: &Letter) -> Result<Rendered, askama::Error> {
                match self {
                    $(Kind::$variant => {
                        let subject = one_line(&$module::Subject { l }.render()?);
                        let text = $module::Text { l }.render()?;
                        let html = $module::Html { l, subject: &subject }.render()?;
                        Ok(Rendered { subject, text, html })
                    })*
                }
            }
        }

        $(
            mod $module {
                use super::Letter;

                #[derive(askama::Template)]
                #[template(path = $subject)]
                pub struct Subject<'a> {
                    pub l: &'a Letter,
                }

                #[derive(askama::Template)]
                #[template(path = $text)]
                pub struct Text<'a> {
                    pub l: &'a Letter,
                }

                #[derive(askama::Template)]
                #[template(path = $html)]
                pub struct Html<'a> {
                    pub l: &'a Letter,
                    pub subject: &'a str,
                }
            }
        )*
    };
}

kinds! {
    EnrolmentConfirmed enrolment_confirmed "enrolment_confirmed" [
        "mail/enrolment_confirmed.subject.txt", "mail/enrolment_confirmed.txt", "mail/enrolment_confirmed.html"],
    EnrolmentPromoted enrolment_promoted "enrolment_promoted" [
        "mail/enrolment_promoted.subject.txt", "mail/enrolment_promoted.txt", "mail/enrolment_promoted.html"],
    EnrolmentCancelled enrolment_cancelled "enrolment_cancelled" [
        "mail/enrolment_cancelled.subject.txt", "mail/enrolment_cancelled.txt", "mail/enrolment_cancelled.html"],
    ConvocationIssued convocation_issued "convocation_issued" [
        "mail/convocation_issued.subject.txt", "mail/convocation_issued.txt", "mail/convocation_issued.html"],
    SessionCancelled session_cancelled "session_cancelled" [
        "mail/session_cancelled.subject.txt", "mail/session_cancelled.txt", "mail/session_cancelled.html"],
    SessionMoved session_moved "session_moved" [
        "mail/session_moved.subject.txt", "mail/session_moved.txt", "mail/session_moved.html"],
    CertificateAvailable certificate_available "certificate_available" [
        "mail/certificate_available.subject.txt", "mail/certificate_available.txt", "mail/certificate_available.html"],
    ComplaintAcknowledged complaint_acknowledged "complaint_acknowledged" [
        "mail/complaint_acknowledged.subject.txt", "mail/complaint_acknowledged.txt", "mail/complaint_acknowledged.html"],
    ComplaintAnswered complaint_answered "complaint_answered" [
        "mail/complaint_answered.subject.txt", "mail/complaint_answered.txt", "mail/complaint_answered.html"],
    MembershipAccepted membership_accepted "membership_accepted" [
        "mail/membership_accepted.subject.txt", "mail/membership_accepted.txt", "mail/membership_accepted.html"],
    MeetingPlanned meeting_planned "meeting_planned" [
        "mail/meeting_planned.subject.txt", "mail/meeting_planned.txt", "mail/meeting_planned.html"],
    MeetingMoved meeting_moved "meeting_moved" [
        "mail/meeting_moved.subject.txt", "mail/meeting_moved.txt", "mail/meeting_moved.html"],
    MeetingCancelled meeting_cancelled "meeting_cancelled" [
        "mail/meeting_cancelled.subject.txt", "mail/meeting_cancelled.txt", "mail/meeting_cancelled.html"],
    SurveyOpened survey_opened "survey_opened" [
        "mail/survey_opened.subject.txt", "mail/survey_opened.txt", "mail/survey_opened.html"],
    SurveyReminder survey_reminder "survey_reminder" [
        "mail/survey_reminder.subject.txt", "mail/survey_reminder.txt", "mail/survey_reminder.html"],
    Test test "test" [
        "mail/test.subject.txt", "mail/test.txt", "mail/test.html"],
}

/// A value fit for one header line: every control character (CR and LF included) becomes a
/// space, runs of spaces collapse, and the ends are trimmed.
pub fn one_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A file joined to a message.
#[derive(Debug, Clone)]
pub struct File {
    pub name: String,
    /// The full MIME type, parameters included (`text/calendar; method=REQUEST; charset=UTF-8`).
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What the message is, apart from its body.
pub struct Envelope<'a> {
    pub from: &'a Mailbox,
    pub to: Mailbox,
    pub message_id: &'a str,
    pub date: DateTime<Utc>,
    pub unsubscribe: Option<&'a str>,
}

/// Why a message could not be assembled.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("{0}")]
    Email(#[from] lettre::error::Error),
    #[error("attachment type: {0}")]
    ContentType(#[from] lettre::message::header::ContentTypeErr),
}

/// The whole message as it is sent (RFC 5322 bytes): `multipart/alternative` text and HTML,
/// inside `multipart/mixed` with the files when there are some.
pub fn compose(
    envelope: Envelope<'_>,
    rendered: &Rendered,
    files: &[File],
) -> Result<Vec<u8>, ComposeError> {
    // lettre encodes a name (RFC 2047) but panics on one holding a line break: names come from
    // people, so they are made one line first.
    let clean = |mailbox: &Mailbox| {
        Mailbox::new(mailbox.name.as_deref().map(one_line), mailbox.email.clone())
    };
    let mut builder = lettre::Message::builder()
        .from(clean(envelope.from))
        .to(clean(&envelope.to))
        .subject(one_line(&rendered.subject))
        .message_id(Some(envelope.message_id.to_owned()))
        .date(SystemTime::from(envelope.date));
    if let Some(url) = envelope.unsubscribe {
        builder = builder
            .header(ListUnsubscribe(format!("<{url}>")))
            .header(ListUnsubscribePost);
    }
    let alternative =
        MultiPart::alternative_plain_html(rendered.text.clone(), rendered.html.clone());
    let email = if files.is_empty() {
        builder.multipart(alternative)?
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for file in files {
            let part: SinglePart = Attachment::new(file.name.clone())
                .body(file.bytes.clone(), ContentType::parse(&file.content_type)?);
            mixed = mixed.singlepart(part);
        }
        builder.multipart(mixed)?
    };
    Ok(email.formatted())
}

/// `List-Unsubscribe` (RFC 2369), with the one-click link.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), one_line(&self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}
