//! Accounts and publications end to end on mosim, through the SDK's `accounts()` and
//! `publications()` managers: a user without a grant is refused, a subscriber sees the
//! publisher's insert.

use matrixone::mo::GrantObject;
use matrixone::{Client, ConnectOptions, Executor};

const BACKEND: &str = "mysql://root@127.0.0.1:3306";

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}_{}_{}", std::process::id(), nanos % 1_000_000)
}

async fn login(server: &mosim::Server, account: &str, user: &str, password: &str) -> Client {
    let addr = server.addr();
    let opts = ConnectOptions::new()
        .host(addr.ip().to_string())
        .port(addr.port())
        .user(user)
        .password(password)
        .account(account);
    Client::connect_with(opts).await.unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn a_user_without_a_grant_is_refused_and_a_subscriber_sees_the_publishers_insert() {
    let server = mosim::Server::start(BACKEND).await.expect("mosim starts on the local MariaDB");
    let sys = Client::connect(&server.url("test")).await.unwrap();
    let publ = unique("amosim_e2e_pub");
    let sub = unique("amosim_e2e_sub");
    sys.accounts().create_account(&publ, "admin", "pw-pub").await.unwrap();
    sys.accounts().create_account(&sub, "admin", "pw-sub").await.unwrap();
    let info = sys.accounts().get_account(&publ).await.unwrap();
    assert_eq!(info.admin_name.as_deref(), Some("admin"));
    assert_eq!(info.status.as_deref(), Some("open"));
    assert_eq!(info.databases, Some(0));
    sys.accounts().suspend_account(&sub).await.unwrap();
    let addr = server.addr();
    let suspended = ConnectOptions::new()
        .host(addr.ip().to_string())
        .port(addr.port())
        .user("admin")
        .password("pw-sub")
        .account(&sub);
    let err = Client::connect_with(suspended).await.unwrap_err();
    assert!(err.to_string().contains("is suspended"), "{err}");
    sys.accounts().open_account(&sub).await.unwrap();

    let admin = login(&server, &publ, "admin", "pw-pub").await;
    assert_eq!(admin.accounts().current_account().await.unwrap(), publ);
    admin.execute("CREATE DATABASE shop").await.unwrap();
    admin.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY)").await.unwrap();
    admin.accounts().create_user("clerk", "pw-clerk").await.unwrap();
    admin.accounts().create_role("reader").await.unwrap();
    admin
        .accounts()
        .grant_privileges(["SELECT"], GrantObject::AllTablesIn("shop".into()), "reader")
        .await
        .unwrap();
    admin.accounts().grant_role("reader", "clerk").await.unwrap();

    assert_eq!(
        admin.accounts().grants_of_role("reader").await.unwrap(),
        vec!["GRANT select ON table shop.* `reader`".to_owned()]
    );
    let clerk = login(&server, &publ, "clerk", "pw-clerk").await;
    assert_eq!(clerk.accounts().current_user().await.unwrap(), "clerk");
    let n: i64 = clerk.fetch_scalar("SELECT COUNT(*) FROM shop.orders").await.unwrap();
    assert_eq!(n, 0);
    let err = clerk.execute("INSERT INTO shop.orders VALUES (1)").await.unwrap_err();
    assert_eq!(err.code(), Some(20101), "{err}");
    assert!(err.to_string().contains("do not have privilege"), "{err}");

    admin.publications().create("orders_pub", "shop", [sub.as_str()]).await.unwrap();
    let listed = admin.publications().get("orders_pub").await.unwrap();
    assert_eq!(listed.database, "shop");
    assert_eq!(listed.accounts, vec![sub.clone()]);
    assert_eq!(
        admin.publications().show_create("orders_pub").await.unwrap(),
        format!("CREATE PUBLICATION `orders_pub` DATABASE `shop` ACCOUNT `{sub}`")
    );
    let subscriber = login(&server, &sub, "admin", "pw-sub").await;
    subscriber.publications().subscribe("orders_copy", &publ, "orders_pub").await.unwrap();
    admin.execute("INSERT INTO shop.orders VALUES (42)").await.unwrap();
    let seen: i64 = subscriber.fetch_scalar("SELECT id FROM orders_copy.orders").await.unwrap();
    assert_eq!(seen, 42);
    let subs = subscriber.publications().subscriptions().await.unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].publication, "orders_pub");
    assert!(subscriber.execute("INSERT INTO orders_copy.orders VALUES (7)").await.is_err());

    drop((admin, clerk, subscriber));
    sys.accounts().drop_account(&publ).await.unwrap();
    sys.accounts().drop_account(&sub).await.unwrap();
}
