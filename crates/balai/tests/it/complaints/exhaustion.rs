//! Resource exhaustion: photos are counted, flood-checked and measured from their headers
//! before any is decoded; the Open311 list runs a fixed number of statements per call.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use balai_complaints::photo;
use base64::Engine;
use serde_json::{json, Value};

use crate::support::worlds::complaints::{jpeg, World, BANJAR_VILLAGE};
use crate::support::Backend;

fn b64(v: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(v)
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// A valid 1-bit greyscale PNG of `side` × `side` black pixels: a few kilobytes that a
/// decoder expands to `side`² bytes (8000: 64 MB) and more once converted for resizing.
pub fn bomb_png(side: u32) -> Vec<u8> {
    let row = vec![0u8; 1 + usize::try_from(side.div_ceil(8)).unwrap()];
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    for _ in 0..side {
        z.write_all(&row).unwrap();
    }
    let idat = z.finish().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn report(photos: Vec<String>) -> Value {
    json!({"category": "infrastruktur", "description": "Jalan berlubang di depan pasar.",
           "village_code": BANJAR_VILLAGE, "photos": photos})
}

both_backends!(
    photos_are_refused_before_any_decoding,
    |b: Backend| async move {
        let w = World::with_config(b, |c| {
            c.complaints
                .insert("max_reports_per_ip_per_hour".into(), 2.into());
        })
        .await;
        let decoded = photo::decoded_count;
        let small = b64(&jpeg(8, 8));

        // Over the count: refused, none decoded.
        let (st, v) = w.file(report(vec![small.clone(); 4])).await;
        assert_eq!(st, 422, "{v}");
        assert!(v["details"]["fields"].get("photos").is_some(), "{v}");
        assert_eq!(decoded(), 0, "four photos were decoded");

        // A field wrong: refused before decoding the photo.
        let mut bad = report(vec![small.clone()]);
        bad["village_code"] = json!("32.79.01.9999");
        let (st, v) = w.file(bad).await;
        assert_eq!((st, v["code"].as_str()), (422, Some("invalid_complaint")));
        assert_eq!(decoded(), 0, "a photo of an invalid filing was decoded");

        // A decompression bomb (8000 × 8000 in a few kilobytes): refused from its header.
        let bomb = bomb_png(8000);
        assert!(bomb.len() < 100_000, "{}", bomb.len());
        let (st, v) = w.file(report(vec![b64(&bomb)])).await;
        assert_eq!(st, 422, "{v}");
        assert!(
            v["details"]["fields"]["photos"]
                .as_str()
                .is_some_and(|m| m.contains("6.000")),
            "{v}"
        );
        assert_eq!(decoded(), 0, "the bomb was decoded");

        // A good photo is decoded once; the second filing reaches the hourly limit of 2 ...
        let (st, v) = w.file(report(vec![small.clone()])).await;
        assert_eq!(st, 201, "{v}");
        let (st, v) = w.file(report(vec![small.clone()])).await;
        assert_eq!(st, 201, "{v}");
        assert_eq!(decoded(), 2);
        // ... so the third is refused by flood control before its photo is decoded.
        let (st, v) = w.file(report(vec![small])).await;
        assert_eq!((st, v["code"].as_str()), (429, Some("rate_limited")), "{v}");
        assert_eq!(decoded(), 2, "a flooded filing's photo was decoded");
        assert!(photo::decode_gate().peak() <= photo::decode_gate().permits());
    }
);

/// Counts the SQL statements sqlx runs (it logs each one under the target `sqlx::query`), in
/// the whole process: the test keeps the background quiet while it measures.
fn statements() -> &'static AtomicUsize {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    struct CountSql(Arc<AtomicUsize>);
    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountSql {
        fn on_event(
            &self,
            event: &tracing::Event<'_>,
            _: tracing_subscriber::layer::Context<'_, S>,
        ) {
            if event.metadata().target() == "sqlx::query" {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
    static COUNT: OnceLock<Arc<AtomicUsize>> = OnceLock::new();
    COUNT.get_or_init(|| {
        let n = Arc::new(AtomicUsize::new(0));
        tracing_subscriber::registry()
            .with(tracing_subscriber::filter::LevelFilter::DEBUG)
            .with(CountSql(n.clone()))
            .try_init()
            .unwrap();
        n
    })
}

both_backends!(
    open311_list_runs_a_fixed_number_of_statements,
    |b: Backend| async move {
        let n = statements();
        // No job polling while counting.
        let w = World::with_config(b, |c| c.jobs.poll_millis = 3_600_000).await;
        let mut count_for = Vec::new();
        for filed in [2, 8] {
            while w.count("SELECT COUNT(*) FROM complaints").await < filed {
                w.file_banjar(json!({"photos": [b64(&jpeg(8, 8))]})).await;
            }
            // The fewest of three calls: background work (a commit of the filings' side
            // effects) may run a statement during one of them.
            let mut fewest = usize::MAX;
            for _ in 0..3 {
                let before = n.load(Ordering::SeqCst);
                let r = w
                    .http()
                    .get(w.app.url("/open311/v2/requests.json"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                let v: Value = r.json().await.unwrap();
                fewest = fewest.min(n.load(Ordering::SeqCst) - before);
                let list = v.as_array().unwrap();
                assert_eq!(list.len(), usize::try_from(filed).unwrap());
                assert!(list.iter().all(|r| r["media_url"].is_string()), "{v}");
                assert!(
                    list.iter().all(|r| r["agency_responsible"].is_string()),
                    "{v}"
                );
                assert!(
                    list.iter().all(|r| r["expected_datetime"].is_string()),
                    "{v}"
                );
            }
            count_for.push(fewest);
        }
        // Per call, not per report: the same few statements for 2 reports and for 8.
        assert!(count_for[1] <= 6, "statements per list call: {count_for:?}");
        assert_eq!(count_for[0], count_for[1], "{count_for:?}");
    }
);
