//! The blob store: uploaded files (complaint photos) kept by their id outside the
//! database, in a folder (`blob_dir`, by default `{data_dir}/blobs`). A file is
//! written under a temporary name and renamed, so a reader never sees half of
//! one; the database row that names it is written after it. An S3-compatible
//! store would take the same two calls (not built yet: docs/plans).

use std::path::PathBuf;

use uuid::Uuid;

/// Files by id in a folder.
#[derive(Debug, Clone)]
pub struct Blobs {
    dir: PathBuf,
}

impl Blobs {
    /// The store in `dir` (made when the first file comes).
    pub fn new(dir: PathBuf) -> Blobs {
        Blobs { dir }
    }

    fn path(&self, id: Uuid) -> PathBuf {
        let name = id.simple().to_string();
        self.dir.join(&name[..2]).join(name)
    }

    /// Keeps `bytes` as `id`.
    pub async fn put(&self, id: Uuid, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(id);
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let part = path.with_extension("part");
        tokio::fs::write(&part, bytes).await?;
        tokio::fs::rename(&part, &path).await
    }

    /// The bytes kept as `id`; none when there are none.
    pub async fn get(&self, id: Uuid) -> std::io::Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.path(id)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Forgets `id` (a row that could not be written after its file).
    pub async fn remove(&self, id: Uuid) -> std::io::Result<()> {
        match tokio::fs::remove_file(self.path(id)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_blob_is_kept_and_read_back() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let blobs = Blobs::new(dir.path().join("blobs"));
        let id = Uuid::now_v7();
        assert_eq!(blobs.get(id).await?, None);
        blobs.put(id, b"photo").await?;
        assert_eq!(blobs.get(id).await?.as_deref(), Some(&b"photo"[..]));
        blobs.remove(id).await?;
        assert_eq!(blobs.get(id).await?, None);
        Ok(())
    }
}
