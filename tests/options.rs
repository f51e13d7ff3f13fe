//! ConnectOptions: URL parsing, the MatrixOne login, and password redaction.
use std::time::Duration;

use matrixone::mo::Dialect;
use matrixone::{ConnectOptions, ErrorKind, SslMode};

#[test]
fn url_parts_are_parsed() {
    let o: ConnectOptions =
        "mysql://root:111@db.example:6001/test?max_connections=16&ssl-mode=required&prepared_statements=false"
            .parse()
            .unwrap();
    assert_eq!(o.to_string(), "mysql://root:***@db.example:6001/test");
    assert_eq!(o.get_database(), Some("test"));
    let dbg = format!("{o:?}");
    assert!(dbg.contains("max_connections: 16"), "{dbg}");
    assert!(dbg.contains("ssl_mode: Required"), "{dbg}");
    assert!(dbg.contains("prepared_statements: Some(false)"), "{dbg}");
}

#[test]
fn matrixone_login_from_url_is_percent_decoded() {
    let o: ConnectOptions = "mysql://acc1%3Aroot%3Aadmin:pw@127.0.0.1:6001/test".parse().unwrap();
    assert_eq!(o.login_name().unwrap(), "acc1:root:admin");
    let o: ConnectOptions = "mysql://acc1%23root:pw@127.0.0.1/test".parse().unwrap();
    assert_eq!(o.login_name().unwrap(), "acc1#root");
    let o: ConnectOptions = "mysql://root:pw@127.0.0.1/test?account=acc1&role=admin".parse().unwrap();
    assert_eq!(o.login_name().unwrap(), "acc1:root:admin");
}

#[test]
fn login_forms_from_the_builder() {
    let base = ConnectOptions::new().user("root");
    assert_eq!(base.clone().login_name().unwrap(), "root");
    assert_eq!(base.clone().account("acc1").login_name().unwrap(), "acc1:root");
    assert_eq!(base.clone().role("admin").login_name().unwrap(), "sys:root:admin");
    assert_eq!(base.clone().account("acc1").role("admin").login_name().unwrap(), "acc1:root:admin");
    let clash = ConnectOptions::new().user("acc1:root").account("acc2").login_name().unwrap_err();
    assert_eq!(clash.kind(), ErrorKind::InvalidInput);
    assert_eq!(ConnectOptions::new().user("").login_name().unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[test]
fn password_never_shows() {
    let secret = "s3cr3t-Pa55";
    let o = ConnectOptions::new().host("h").user("root").password(secret).database("d");
    assert!(!o.to_string().contains(secret));
    assert!(!format!("{o:?}").contains(secret));
    let o: ConnectOptions = format!("mysql://root:{secret}@h:1/d").parse().unwrap();
    assert!(!o.to_string().contains(secret));
    assert!(!format!("{o:?}").contains(secret));
    // A bad URL's error must not echo the password either.
    let err = format!("mysql://root:{secret}@h:notaport/d").parse::<ConnectOptions>().unwrap_err();
    assert!(!err.to_string().contains(secret), "{err}");
    assert!(!format!("{err:?}").contains(secret), "{err:?}");
}

#[test]
fn bad_urls_are_typed_errors() {
    for url in ["postgres://h/d", "not a url", "mysql://h/d?nonsense=1", "mysql://h/d?max_connections=x"] {
        let err = url.parse::<ConnectOptions>().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{url}: {err}");
    }
}

#[test]
fn url_options_reach_the_builder_fields() {
    let o: ConnectOptions =
        "mysql://h/d?connect_timeout=3&acquire_timeout=4&dialect=v3&ssl-mode=disabled&no_backslash_escapes=true"
            .parse()
            .unwrap();
    let expected = ConnectOptions::new()
        .host("h")
        .database("d")
        .connect_timeout(Duration::from_secs(3))
        .acquire_timeout(Duration::from_secs(4))
        .dialect(Dialect::V3)
        .ssl_mode(SslMode::Disabled)
        .no_backslash_escapes(true);
    assert_eq!(o, expected);
    assert_eq!(o.get_dialect(), Some(Dialect::V3));
}

#[test]
fn from_env_reads_matrixone_url() {
    // One test touches the variable, so parallel tests do not race on it.
    // SAFETY: no other test in this binary reads or writes the environment.
    unsafe { std::env::set_var("MATRIXONE_URL", "mysql://root:111@127.0.0.1:6001/test") };
    let o = ConnectOptions::from_env().unwrap();
    assert_eq!(o.to_string(), "mysql://root:***@127.0.0.1:6001/test");
    unsafe { std::env::remove_var("MATRIXONE_URL") };
    assert_eq!(ConnectOptions::from_env().unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn clients_are_cheap_shareable_handles_that_hide_the_password() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<matrixone::Client>();
    let secret = "client-secret-pw";
    let client = matrixone::Client::connect_lazy_with(
        ConnectOptions::new().host("127.0.0.1").user("root").password(secret).database("test"),
    )
    .unwrap();
    let shown = format!("{client} {client:?} {:?}", client.clone());
    assert!(shown.contains("127.0.0.1"), "{shown}");
    assert!(!shown.contains(secret), "{shown}");
}

#[test]
fn ssl_modes_and_dialects_read_and_print_their_url_names() {
    for mode in
        [SslMode::Disabled, SslMode::Preferred, SslMode::Required, SslMode::VerifyCa, SslMode::VerifyIdentity]
    {
        assert_eq!(mode.to_string().parse::<SslMode>().unwrap(), mode);
    }
    for dialect in [Dialect::V3, Dialect::V4] {
        let o: ConnectOptions = format!("mysql://h/d?dialect={dialect}").parse().unwrap();
        assert_eq!(o.get_dialect(), Some(dialect));
    }
}

#[test]
fn a_client_outside_a_runtime_is_an_error_not_a_panic() {
    let err = matrixone::Client::connect_lazy_with(ConnectOptions::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}
