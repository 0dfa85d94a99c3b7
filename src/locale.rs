//! Locale codes: whether a folder, a suffix or a front-matter value names a locale.

/// ISO 639-1 codes plus a few 639-2 ones used by docs sites; a folder or suffix is a
/// locale only if its language part is one of these, so `docs/` or `api.md` never is.
const LANGUAGES: &str = "aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy \
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik \
io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt \
my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so \
sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu \
fil haw yue ast ckb kab";

/// Whether a string is a locale code such as `sv-SE`, `pt_BR`, `zh-Hant` or `de`.
pub fn is_locale(s: &str) -> bool {
    // Asked for every path of every run: a set, not a scan of the list.
    static KNOWN: std::sync::LazyLock<std::collections::HashSet<&str>> =
        std::sync::LazyLock::new(|| LANGUAGES.split_whitespace().collect());
    let mut parts = s.split(['-', '_']);
    let lang = parts.next().unwrap_or("").to_ascii_lowercase();
    if !KNOWN.contains(lang.as_str()) {
        return false;
    }
    parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}
