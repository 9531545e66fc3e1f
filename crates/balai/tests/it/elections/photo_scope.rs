//! Re-using a form photo flags only TPS within the uploader's own region (security review M6):
//! a photo already public for a TPS elsewhere cannot be used to flag that TPS's results.

use balai_core::accounts::Role;
use balai_core::with_db;
use serde_json::json;

use crate::support::worlds::elections::*;
use crate::support::Backend;

async fn flagged(fx: &Fx, tps: i64) -> bool {
    with_db!(&fx.app.db, |c| sqlx::query_scalar::<_, bool>(
        "SELECT flagged FROM tps_results WHERE tps_id = $1"
    )
    .bind(tps)
    .fetch_one(c)
    .await)
    .unwrap()
}

async fn upload(fx: &Fx, token: &str, tps: i64, photo: &[u8]) -> serde_json::Value {
    let res = fx
        .http
        .post(fx.app.url(&fx.path(&format!("/tps/{tps}/photos"))))
        .bearer_auth(token)
        .header("content-type", "image/jpeg")
        .body(photo.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

both_backends!(
    photo_reuse_flags_only_tps_in_the_uploaders_region,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        // A KPU office for one kecamatan of Kota Banjar (32.79.02), with its own operator.
        let ppk = fx
            .app
            .add_agency("kpu", "PPK Kecamatan Dua", "32.79.02")
            .await;
        fx.app
            .add_user("ppk.op", Some(ppk), Role::Officer, false)
            .await;
        let ppk_op = fx.app.token_for("ppk.op").await;
        let (city_tps, ppk_tps) = (fx.tps[0], fx.tps[2]);
        for tps in [city_tps, ppk_tps] {
            let (s, v) = fx
                .submit(&fx.op1, tps, form_json(&good_form()), json!({}))
                .await;
            assert_eq!(s, 201, "{v}");
            assert!(!flagged(&fx, tps).await);
        }
        let photo = [&[0xFFu8, 0xD8, 0xFF, 0xE0][..], b"form of TPS 1, Kec. Satu"].concat();
        upload(&fx, &fx.op1, city_tps, &photo).await;
        // The kecamatan operator uploads the city TPS's photo for their own TPS.
        let v = upload(&fx, &ppk_op, ppk_tps, &photo).await;
        assert_eq!(v["reused_from_tps"], json!([city_tps]), "{v}");
        assert!(
            flagged(&fx, ppk_tps).await,
            "the uploader's own TPS is flagged"
        );
        assert!(
            !flagged(&fx, city_tps).await,
            "a TPS outside the uploader's region is not flagged"
        );
        let reused: i64 = with_db!(&fx.app.db, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM result_photos WHERE tps_id = $1 AND reused = TRUE"
        )
        .bind(city_tps)
        .fetch_one(c)
        .await)
        .unwrap();
        assert_eq!(reused, 0);
        // The same upload by the city's operator (whose region holds both) flags both.
        let other = [&[0xFFu8, 0xD8, 0xFF, 0xE0][..], b"another form"].concat();
        upload(&fx, &fx.op1, fx.tps[1], &other).await;
        let (s, v) = fx
            .submit(&fx.op1, fx.tps[1], form_json(&good_form()), json!({}))
            .await;
        assert!(s == 201 || s == 409, "{v}");
        upload(&fx, &fx.op1, city_tps, &other).await;
        assert!(flagged(&fx, city_tps).await);
        assert!(flagged(&fx, fx.tps[1]).await);
    }
);
