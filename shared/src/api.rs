//! The hub↔phone wire types of the device API (`/api/v1/devices/…`), defined
//! once for both sides.

use serde::{Deserialize, Serialize};

use crate::DeviceId;

/// `POST /api/v1/devices/enrol`: what the phone sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The code shown in the office, e.g. `ABCDE-FGHJK` (case and spaces ignored).
    pub code: String,
    /// A name for the device, shown in the office.
    pub device_name: String,
}

/// `POST /api/v1/devices/enrol`: what the phone gets back (201).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolResponse {
    /// The device's id.
    pub device_id: DeviceId,
    /// Bearer token for `/sync` and the API; shown only now.
    pub token: String,
    /// The peer id the device must use when syncing.
    pub peer_id: String,
    /// The hub's peer id (to pin).
    pub hub_peer_id: String,
    /// Path of the sync WebSocket.
    pub sync_path: String,
    /// The catalog document (automerge-repo id).
    pub catalog_doc: String,
    /// The adviser's workspace document.
    pub workspace_doc: String,
    /// The adviser's number (`P0001`): the prefix of the variable symbols the phone
    /// gives the orders it takes.
    #[serde(default)]
    pub adviser_code: String,
    /// The adviser's name, shown on the phone.
    #[serde(default)]
    pub adviser_name: String,
}

/// `POST /api/v1/devices/push-token` body: the push service's token for this
/// device. Authorised by the device's bearer token; answered 204.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushTokenRequest {
    /// `android` (FCM) or `ios` (APNs through FCM).
    pub platform: String,
    /// The registration token.
    pub token: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_refused_and_old_answers_still_read() {
        assert!(
            serde_json::from_str::<EnrolRequest>(r#"{"code":"x","device_name":"y","admin":true}"#)
                .is_err()
        );
        let old = r#"{"device_id":"0190f0f0-0000-7000-8000-000000000000","token":"t","peer_id":"device:x",
            "hub_peer_id":"hub","sync_path":"/sync","catalog_doc":"c","workspace_doc":"w"}"#;
        let answer: EnrolResponse = serde_json::from_str(old).unwrap();
        assert_eq!(answer.adviser_code, "");
    }
}
