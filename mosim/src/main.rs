//! `mosim` binary: a MatrixOne simulator on MariaDB, for tests and CI.
//!
//! ```text
//! mosim --listen 127.0.0.1:6001 --backend mysql://root@127.0.0.1:3306 [--v3] [--version STR]
//!       [--quirk-prepared-null-shape] [--quirk-ignore-quit]
//! ```

use std::process::ExitCode;

const USAGE: &str = "usage: mosim [--listen ADDR] [--backend URL] [--v3] [--version STRING]\n\
             [--quirk-prepared-null-shape] [--quirk-ignore-quit]\n\
  --listen   address to listen on (default 127.0.0.1:6001; anything but loopback\n\
             lets anyone on the network in as the backend's user, with any password)\n\
  --backend  MariaDB URL (default mysql://root@127.0.0.1:3306)\n\
  --v3       speak the MatrixOne 3.0 RESTORE grammar\n\
  --version  server version string (default 8.0.30-MatrixOne-v4.2.0)\n\
  --quirk-prepared-null-shape  reproduce MatrixOne #28138/#26874: a re-executed prepared\n\
             statement keeps its first execution's NULLs (later values there become NULL)\n\
  --quirk-ignore-quit  reproduce MatrixOne keeping the connection open after COM_QUIT";

fn parse_args() -> Result<mosim::Config, String> {
    let mut config = mosim::Config::new("mysql://root@127.0.0.1:3306")
        .listen(std::net::SocketAddr::from(([127, 0, 0, 1], 6001)));
    let mut version = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--listen" => {
                let v = value()?;
                config.listen = v.parse().map_err(|e| format!("--listen {v}: {e}"))?;
            }
            "--backend" => config.backend_url = value()?,
            "--version" => version = Some(value()?),
            "--v3" => config = config.v3(),
            "--quirk-prepared-null-shape" => config = config.quirk_prepared_null_shape(true),
            "--quirk-ignore-quit" => config = config.quirk_ignore_quit(true),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if let Some(v) = version {
        config.server_version = v;
    }
    Ok(config)
}

/// The warning for a listener other machines can reach: mosim logs anyone in, with any
/// password, as the backend's own user.
fn exposure_warning(listen: std::net::SocketAddr) -> Option<String> {
    if listen.ip().is_loopback() {
        return None;
    }
    Some(format!(
        "WARNING: mosim is listening on {listen}, which is not a loopback address.\n\
         WARNING: mosim accepts ANY user name and ANY password and runs every statement on the\n\
         WARNING: backend as the backend URL's user (often root): anyone who can reach this\n\
         WARNING: port has that user's full access to the backend. mosim is a test server:\n\
         WARNING: listen on 127.0.0.1 unless this network is yours alone."
    ))
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match parse_args() {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    if let Some(warning) = exposure_warning(config.listen) {
        eprintln!("{warning}");
    }
    match mosim::Server::start_with(config).await {
        Ok(server) => {
            println!("mosim (a MatrixOne test server) listening on {}", server.addr());
            // Runs until the process is killed.
            std::future::pending::<()>().await;
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
