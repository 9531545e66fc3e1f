//! Photo uploads: decoded to prove they are images, resized and re-encoded. Re-encoding writes
//! only pixels, so EXIF (GPS position, camera, owner) and every other metadata block is gone.

use std::io::Cursor;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use balai_core::gate::{self, Gate};
use image::{ImageFormat, ImageReader, Limits};

/// Largest upload accepted, before processing.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Longest side after resizing.
pub const MAX_SIDE: u32 = 1600;
/// Photos per report.
pub const MAX_PHOTOS: usize = 3;
/// Refuse decompression bombs before decoding: no side above this (a 24-megapixel phone
/// photo is 6000 × 4000)...
pub const MAX_DECODE_SIDE: u32 = 6_000;
/// ...no more pixels than this...
pub const MAX_DECODE_PIXELS: u64 = 24_000_000;
/// ...and no decoder allocation above this (24 MP in RGB8 is 72 MB).
const MAX_DECODE_ALLOC: u64 = 128 * 1024 * 1024;

/// Photos decoded (headers passed every limit), process-wide: the decodes a check refused
/// before do not count.
static DECODED: AtomicU64 = AtomicU64::new(0);

pub fn decoded_count() -> u64 {
    DECODED.load(Ordering::SeqCst)
}

/// Decoding runs at most one per core at a time; a few more filings wait briefly, the rest
/// get 503 at once (a decode holds up to [`MAX_DECODE_ALLOC`] and a core for a second).
pub fn decode_gate() -> &'static Gate {
    static GATE: OnceLock<Gate> = OnceLock::new();
    GATE.get_or_init(|| Gate::new("photo_decode", gate::cores(), 4, Duration::from_secs(10)))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("photo too large (at most 5 MB and 6,000 × 6,000 pixels)")]
    TooLarge,
    #[error("not a JPEG or PNG image")]
    NotAnImage,
    #[error("could not encode the image")]
    Encode,
}

impl PhotoError {
    pub fn message_id(&self) -> &'static str {
        match self {
            PhotoError::TooLarge => {
                "Foto terlalu besar (paling besar 5 MB dan 6.000 × 6.000 piksel)."
            }
            PhotoError::NotAnImage => "Berkas bukan foto JPEG atau PNG yang sah.",
            PhotoError::Encode => "Foto tidak dapat diproses.",
        }
    }
}

/// A cleaned photo ready to store.
#[derive(Debug, Clone)]
pub struct CleanPhoto {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// The checks that need only the first bytes and the header: size, type and dimensions. Cheap
/// enough for the async threads, so a bomb is refused without waiting for the decode gate.
pub fn check_header(data: &[u8]) -> Result<ImageFormat, PhotoError> {
    if data.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let format = image::guess_format(data).map_err(|_| PhotoError::NotAnImage)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png) {
        return Err(PhotoError::NotAnImage);
    }
    let (w, h) = ImageReader::with_format(Cursor::new(data), format)
        .into_dimensions()
        .map_err(|_| PhotoError::NotAnImage)?;
    if w > MAX_DECODE_SIDE || h > MAX_DECODE_SIDE || u64::from(w) * u64::from(h) > MAX_DECODE_PIXELS
    {
        return Err(PhotoError::TooLarge);
    }
    Ok(format)
}

/// Validate, strip and resize one upload. PNG stays PNG (screenshots, drawings); JPEG stays JPEG.
pub fn clean(data: &[u8]) -> Result<CleanPhoto, PhotoError> {
    let format = check_header(data)?;
    let reader = || {
        let mut r = ImageReader::with_format(Cursor::new(data), format);
        // The header passed the checks; these hold the decoder to them.
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_DECODE_SIDE);
        limits.max_image_height = Some(MAX_DECODE_SIDE);
        limits.max_alloc = Some(MAX_DECODE_ALLOC);
        r.limits(limits);
        r
    };
    DECODED.fetch_add(1, Ordering::SeqCst);
    let img = reader().decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooLarge,
        _ => PhotoError::NotAnImage,
    })?;
    // `thumbnail` averages whole pixels in integers: no floating-point copy of the image.
    let img = if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        img
    };
    let mut out = Cursor::new(Vec::new());
    let content_type = match format {
        ImageFormat::Png => {
            img.write_to(&mut out, ImageFormat::Png)
                .map_err(|_| PhotoError::Encode)?;
            "image/png"
        }
        _ => {
            // JPEG has no alpha channel.
            let rgb = image::DynamicImage::ImageRgb8(img.to_rgb8());
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
            rgb.write_with_encoder(enc)
                .map_err(|_| PhotoError::Encode)?;
            "image/jpeg"
        }
    };
    Ok(CleanPhoto {
        content_type,
        width: img.width(),
        height: img.height(),
        bytes: out.into_inner(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 255) as u8, (y % 255) as u8, 90])
        });
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut out, ImageFormat::Jpeg)
            .unwrap();
        out.into_inner()
    }

    /// Insert an APP1 "Exif" segment carrying a marker string right after SOI.
    fn with_exif(jpeg: &[u8], marker: &[u8]) -> Vec<u8> {
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(marker);
        let len = (payload.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn exif_is_stripped_and_big_photos_shrink() {
        let src = with_exif(&jpeg(2400, 1200), b"GPSLatitude=-2.97;Camera=SECRET-CAM");
        assert!(src.windows(10).any(|w| w == b"SECRET-CAM"));
        let p = clean(&src).unwrap();
        assert_eq!((p.width, p.height), (1600, 800));
        assert_eq!(p.content_type, "image/jpeg");
        assert!(!p.bytes.windows(10).any(|w| w == b"SECRET-CAM"));
        assert!(!p.bytes.windows(4).any(|w| w == b"Exif"));
    }

    #[test]
    fn png_stays_png_and_small_stays_small() {
        let img = image::RgbaImage::from_pixel(40, 30, image::Rgba([1, 2, 3, 255]));
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::ImageRgba8(img)
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        let p = clean(&out.into_inner()).unwrap();
        assert_eq!((p.content_type, p.width, p.height), ("image/png", 40, 30));
    }

    #[test]
    fn fakes_and_oversized_uploads_are_refused() {
        assert_eq!(clean(b"not an image").unwrap_err(), PhotoError::NotAnImage);
        // A JPEG header on garbage.
        let mut fake = vec![0xFF, 0xD8, 0xFF, 0xE0];
        fake.extend_from_slice(&[7u8; 500]);
        assert_eq!(clean(&fake).unwrap_err(), PhotoError::NotAnImage);
        // GIF is not accepted.
        assert_eq!(
            clean(b"GIF89a\x01\x00\x01\x00").unwrap_err(),
            PhotoError::NotAnImage
        );
        let big = vec![0u8; MAX_UPLOAD_BYTES + 1];
        assert_eq!(clean(&big).unwrap_err(), PhotoError::TooLarge);
    }

    #[test]
    fn the_upload_body_limit_holds_every_photo_base64_encoded() {
        let limit = crate::domain::settings::ComplaintSettings::default().max_upload_body_bytes;
        assert!(limit > (MAX_PHOTOS * MAX_UPLOAD_BYTES).div_ceil(3) * 4);
    }
}
