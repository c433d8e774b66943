//! Links the addon the way Node expects (napi-rs's build setup).

fn main() {
    napi_build::setup();
}
