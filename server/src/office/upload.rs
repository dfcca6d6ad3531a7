//! A file posted from an office page (multipart, `data-native` forms): the file, the
//! page's CSRF token and any other fields, read whole and checked once for every
//! upload route (the price list, customers).

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::http::StatusCode;

/// The largest file an upload form takes (what [`read`]'s refusal names); a route
/// lets this much and its form's fields through.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// What an upload form sent.
#[derive(Debug)]
pub struct Upload {
    /// The file's name as the browser gave it.
    pub name: String,
    pub bytes: Vec<u8>,
    /// The other fields (text).
    pub fields: HashMap<String, String>,
}

/// Why an upload is refused: the answer's status and its texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub status: StatusCode,
    pub cs: &'static str,
    pub en: &'static str,
}

/// Reads the form: the field `file` (at most what the route's body limit lets
/// through), `csrf` checked against the session's token, the other fields as
/// text. `missing` is what the user is told when no file was chosen.
pub async fn read(
    mut form: Multipart,
    session_csrf: &str,
    missing: (&'static str, &'static str),
) -> Result<Upload, Refused> {
    let (mut file, mut name, mut fields) = (None::<Vec<u8>>, String::new(), HashMap::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name().map(str::to_owned) {
                Some(n) if n == "file" => {
                    name = field.file_name().unwrap_or("upload").to_owned();
                    match field.bytes().await {
                        Ok(bytes) => file = Some(bytes.to_vec()),
                        Err(_) => {
                            return Err(Refused {
                                status: StatusCode::PAYLOAD_TOO_LARGE,
                                cs: "Soubor je větší než 16 MB; rozdělte ho.",
                                en: "The file is larger than 16 MB; split it.",
                            });
                        }
                    }
                }
                Some(n) => {
                    fields.insert(n, field.text().await.unwrap_or_default());
                }
                None => {}
            },
            Ok(None) => break,
            Err(_) => {
                return Err(Refused {
                    status: StatusCode::BAD_REQUEST,
                    cs: "Formulář nedorazil celý; zkuste to znovu.",
                    en: "The form did not arrive whole; try again.",
                });
            }
        }
    }
    let csrf = fields.get("csrf").map(String::as_str).unwrap_or("");
    if csrf.is_empty() || !crate::auth::constant_time_eq(csrf, session_csrf) {
        return Err(Refused {
            status: StatusCode::FORBIDDEN,
            cs: "Formulář vypršel; obnovte stránku a zkuste to znovu.",
            en: "The form expired; reload the page and try again.",
        });
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return Err(Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            cs: missing.0,
            en: missing.1,
        });
    };
    Ok(Upload {
        name,
        bytes,
        fields,
    })
}
