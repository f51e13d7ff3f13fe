//! Parsing `mysql://user:password@host:port/db` without pulling in a URL crate.

use crate::error::Error;

/// Where and as whom to connect to the MariaDB backend. `Debug` hides the password.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct BackendUrl {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) user: String,
    pub(crate) password: String,
}

impl BackendUrl {
    /// Parses a `mysql://` or `mariadb://` URL; the path and query are ignored.
    pub(crate) fn parse(url: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::Config(format!("backend url `{}`: {why}", redacted(url)));
        let rest = url
            .strip_prefix("mysql://")
            .or_else(|| url.strip_prefix("mariadb://"))
            .ok_or_else(|| bad("expected mysql://"))?;
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (u, h),
            None => ("root", authority),
        };
        let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().map_err(|_| bad("bad port"))?),
            None => (hostport, 3306),
        };
        if host.is_empty() {
            return Err(bad("missing host"));
        }
        Ok(Self {
            host: host.to_owned(),
            port,
            user: percent_decode(user),
            password: percent_decode(password),
        })
    }
}

impl std::fmt::Debug for BackendUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackendUrl")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &"***")
            .finish()
    }
}

/// `url` with the password (if any) shown as `***`, for messages and `Debug`.
pub(crate) fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Decodes `%XX` escapes; malformed escapes are kept as written.
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_shows() {
        let url = "mysql://root:s3cret@127.0.0.1:3306/db";
        assert_eq!(redacted(url), "mysql://root:***@127.0.0.1:3306/db");
        assert_eq!(redacted("mysql://root@h"), "mysql://root@h");
        let parsed = BackendUrl::parse(url).unwrap();
        assert!(!format!("{parsed:?}").contains("s3cret"));
        let err = BackendUrl::parse("mysql://root:s3cret@h:notaport").unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
        let config = crate::Config::new(url);
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn parses_user_password_host_port() {
        let u = BackendUrl::parse("mysql://root:p%40ss@127.0.0.1:3307/test").unwrap();
        assert_eq!(u.user, "root");
        assert_eq!(u.password, "p@ss");
        assert_eq!(u.host, "127.0.0.1");
        assert_eq!(u.port, 3307);
        let u = BackendUrl::parse("mysql://root@localhost").unwrap();
        assert_eq!((u.password.as_str(), u.port), ("", 3306));
        assert!(BackendUrl::parse("postgres://x").is_err());
    }
}
