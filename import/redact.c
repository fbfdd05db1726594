/* redact.c - replace personal data in mail text (resident ID numbers,
 * mobile and labelled phone numbers, passwords and login names) by markers
 * before anything is stored, while leaving WinDbg output intact.
 *
 * The scan finds spans first and writes the output once: labelled values
 * ("密码：x", "身份证号：x") are found by their label, bare ID and mobile
 * numbers by their shape. A number counts only when it is a whole run:
 * runs include hex letters, backticks and dots between digits, so parts
 * of addresses (fffff803`496dccae), registry numbers (120081126000849),
 * build numbers and KB numbers never look like personal data. A credential
 * value found after a label is also replaced where else it occurs in the
 * same text (a password quoted again later). */
#include "readers.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

enum { K_ID, K_PHONE, K_PASSWORD, K_USERNAME, K_EMAIL };

static const char *const marker[] = {
	"[redacted:id-number]", "[redacted:phone]", "[redacted:password]", "[redacted:username]",
	"[redacted:email]",
};

typedef struct span {
	size_t start, end;
	int kind;
} span;

typedef struct spans {
	span *v;
	size_t n, cap;
} spans;

static void add_span(spans *s, size_t start, size_t end, int kind)
{
	if (end <= start)
		return;
	XGROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = (span){start, end, kind};
}

/* Labels and the kind of value they introduce. ASCII labels match case
 * insensitively and only at a word start. The value follows after optional
 * blanks and a colon (":", "：" or "="). */
static const struct label {
	const char *text;
	int kind;
} labels[] = {
	{"身份证号码", K_ID}, {"身份证号", K_ID}, {"身份证", K_ID}, {"公民身份号码", K_ID},
	{"手机号码", K_PHONE}, {"手机号", K_PHONE}, {"手机", K_PHONE}, {"联系电话", K_PHONE},
	{"电话", K_PHONE}, {"座机", K_PHONE}, {"mobile", K_PHONE}, {"phone", K_PHONE},
	{"tel", K_PHONE}, {"mob", K_PHONE},
	{"密码", K_PASSWORD}, {"口令", K_PASSWORD}, {"password", K_PASSWORD},
	{"passwd", K_PASSWORD}, {"pwd", K_PASSWORD},
	{"用户名", K_USERNAME}, {"登录名", K_USERNAME}, {"登录账号", K_USERNAME},
	{"账号", K_USERNAME}, {"帐号", K_USERNAME}, {"账户", K_USERNAME}, {"帐户", K_USERNAME},
	{"username", K_USERNAME}, {"user name", K_USERNAME}, {"login", K_USERNAME},
	{"account", K_USERNAME},
};

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char lower_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A character that continues a number-like run: letters and digits, the
 * backtick of 64-bit WinDbg addresses and the underscore of symbols. */
static int run_char(unsigned char c)
{
	return is_alnum(c) || c == '`' || c == '_';
}

/* Does a number starting at i stand alone (not part of a longer run)? */
static int run_starts(const unsigned char *s, size_t i)
{
	if (i == 0)
		return 1;
	unsigned char p = s[i - 1];
	if (run_char(p))
		return 0;
	/* "1.13800138000" or "x.13800138000" is a version or a field */
	if (p == '.' && i >= 2 && run_char(s[i - 2]))
		return 0;
	return 1;
}

static int run_ends(const unsigned char *s, size_t len, size_t j)
{
	if (j >= len)
		return 1;
	if (run_char(s[j]))
		return 0;
	if (s[j] == '.' && j + 1 < len && run_char(s[j + 1]))
		return 0;
	return 1;
}

/* Province codes of GB 11643 (first two digits of a resident ID). */
static int province_ok(int p)
{
	return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
	       (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
	       p == 71 || (p >= 81 && p <= 83);
}

/* ISO 7064 MOD 11-2 check character of the first 17 digits. */
static char id_check_char(const unsigned char *d)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (d[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

/* Is d[0..17] an 18-character resident ID? The province code and the
 * birth date must be plausible and the check character right: together
 * they make a false hit on an 18-digit decimal in WinDbg output about one
 * in a million. */
static int id_shape(const unsigned char *d)
{
	for (int i = 0; i < 17; i++)
		if (!is_digit(d[i]))
			return 0;
	if (!is_digit(d[17]) && d[17] != 'X' && d[17] != 'x')
		return 0;
	if (!province_ok((d[0] - '0') * 10 + (d[1] - '0')))
		return 0;
	int y = (d[6] - '0') * 1000 + (d[7] - '0') * 100 + (d[8] - '0') * 10 + (d[9] - '0');
	int m = (d[10] - '0') * 10 + (d[11] - '0');
	int day = (d[12] - '0') * 10 + (d[13] - '0');
	static const int mdays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2099 || m < 1 || m > 12 || day < 1 || day > mdays[m])
		return 0;
	char want = id_check_char(d);
	char got = d[17] == 'x' ? 'X' : (char)d[17];
	return want == got;
}

/* Mainland mobile at s[i]: 1[3-9]d{9}, optionally grouped 3-4-4 by one
 * blank or hyphen. Returns the end, or 0. The caller checks run_starts. */
static size_t mobile_at(const unsigned char *s, size_t len, size_t i)
{
	if (i + 11 > len || s[i] != '1' || s[i + 1] < '3' || s[i + 1] > '9')
		return 0;
	size_t j = i, digits = 0;
	while (j < len && digits < 11) {
		if (is_digit(s[j])) {
			digits++;
			j++;
		} else if ((digits == 3 || digits == 7) && (s[j] == ' ' || s[j] == '-') && j + 1 < len &&
			   is_digit(s[j + 1])) {
			j++;
		} else {
			return 0;
		}
	}
	if (digits != 11)
		return 0;
	/* grouping must be all-or-nothing and only 3-4-4 */
	size_t seps = (j - i) - 11;
	if (seps == 1)
		return 0;
	return run_ends(s, len, j) ? j : 0;
}

/* "+86" / "+ 86" / "0086" / "(+86)" at s[i] followed by a number:
 * the whole international form is one phone. Returns the end or 0. */
static size_t intl_at(const unsigned char *s, size_t len, size_t i)
{
	size_t j = i;
	int paren = 0;
	if (j < len && s[j] == '(') {
		paren = 1;
		j++;
	}
	if (j + 2 < len && s[j] == '+') {
		j++;
		while (j < len && s[j] == ' ')
			j++;
	} else if (j + 4 < len && s[j] == '0' && s[j + 1] == '0') {
		j += 2;
	} else {
		return 0;
	}
	if (j + 2 > len || s[j] != '8' || s[j + 1] != '6')
		return 0;
	j += 2;
	if (paren) {
		if (j >= len || s[j] != ')')
			return 0;
		j++;
	}
	if (!paren && j < len && is_digit(s[j]))
		return mobile_at(s, len, j); /* "+8613812340003"; other "+86..." runs are not phones */
	while (j < len && (s[j] == ' ' || s[j] == '-'))
		j++;
	size_t end = mobile_at(s, len, j);
	if (end)
		return end;
	/* a landline: "(510) 55501234", "510-55501234", "10 55501234" */
	size_t k = j;
	int close = 0;
	if (k < len && s[k] == '(') {
		close = 1;
		k++;
	}
	size_t a = k;
	while (k < len && is_digit(s[k]) && k - a < 5)
		k++;
	if (k - a < 2 || k - a > 4)
		return 0;
	if (close) {
		if (k >= len || s[k] != ')')
			return 0;
		k++;
		while (k < len && s[k] == ' ')
			k++;
	} else {
		if (k >= len || (s[k] != ' ' && s[k] != '-'))
			return 0;
		k++;
	}
	size_t d = k;
	while (k < len && is_digit(s[k]))
		k++;
	if (k - d < 7 || k - d > 8)
		return 0;
	return run_ends(s, len, k) ? k : 0;
}

static int local_char(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* An e-mail address around the '@' at s[at]: [start, end) into *a, *b.
 * The domain needs a dot and a final label of 2+ letters, so WinDbg's
 * decorated symbols (_NtClose@4, ?f@@YAXXZ) never match. */
static int email_at(const unsigned char *s, size_t len, size_t at, size_t *a, size_t *b)
{
	size_t i = at;
	while (i > 0 && local_char(s[i - 1]))
		i--;
	while (i < at && (s[i] == '.' || s[i] == '-'))
		i++;
	if (i == at)
		return 0;
	size_t j = at + 1, last_dot = 0;
	while (j < len && (is_alnum(s[j]) || s[j] == '-' || (s[j] == '.' && j + 1 < len && is_alnum(s[j + 1])))) {
		if (s[j] == '.')
			last_dot = j;
		j++;
	}
	if (!last_dot || last_dot == at + 1 || j - last_dot - 1 < 2)
		return 0;
	for (size_t k = last_dot + 1; k < j; k++)
		if (is_digit(s[k]))
			return 0;
	*a = i;
	*b = j;
	return 1;
}

/* Match label l at s[i]; return the index after label and colon, or 0. */
static size_t label_at(const unsigned char *s, size_t len, size_t i, const struct label *l)
{
	size_t n = strlen(l->text);
	if (i + n > len)
		return 0;
	int ascii = (unsigned char)l->text[0] < 0x80;
	if (ascii) {
		if (i > 0 && is_alnum(s[i - 1]))
			return 0;
		for (size_t k = 0; k < n; k++) {
			unsigned char c = s[i + k];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			if (c != (unsigned char)l->text[k])
				return 0;
		}
	} else if (memcmp(s + i, l->text, n) != 0) {
		return 0;
	}
	size_t j = i + n;
	while (j < len && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j < len && (s[j] == ':' || s[j] == '=')) {
		j++;
	} else if (j + 3 <= len && s[j] == 0xEF && s[j + 1] == 0xBC && s[j + 2] == 0x9A) {
		j += 3; /* full-width colon */
	} else {
		return 0;
	}
	while (j < len && (s[j] == ' ' || s[j] == '\t'))
		j++;
	return j;
}

/* The value after a label: printable ASCII without blanks (Chinese text
 * after it is prose, not part of the secret). */
static size_t token_end(const unsigned char *s, size_t len, size_t j)
{
	while (j < len && s[j] > 0x20 && s[j] < 0x7f)
		j++;
	return j;
}

/* The value after a phone label: digits with +, blanks, hyphens and
 * parentheses; ends at the last digit; needs at least 7 digits. */
static size_t phone_value_end(const unsigned char *s, size_t len, size_t j)
{
	size_t k = j, last = 0;
	int digits = 0;
	while (k < len && k - j < 32) {
		unsigned char c = s[k];
		if (is_digit(c)) {
			digits++;
			last = k + 1;
		} else if (c != ' ' && c != '-' && c != '+' && c != '(' && c != ')') {
			break;
		}
		k++;
	}
	if (digits < 7 || digits > 16 || !last)
		return 0;
	if (!run_ends(s, len, last))
		return 0;
	return last;
}

static int cmp_span(const void *a, const void *b)
{
	const span *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : (x->end < y->end);
}

/* Quick filter: can a label start with this byte? */
static int label_first(unsigned char c)
{
	if (c >= 0xE5 && c <= 0xE8)
		return 1; /* 身 手 联 电 座 密 口 用 登 账 帐 公: 3-byte UTF-8 leads E5..E8 */
	c = (unsigned char)(c | 0x20);
	return c == 'm' || c == 'p' || c == 't' || c == 'u' || c == 'l' || c == 'a';
}

/* The spans of personal data in text[0..len) (NUL-terminated). */
static void find_spans(const char *text, size_t len, spans *out)
{
	const unsigned char *s = (const unsigned char *)text;
	spans sp = {0};
	/* credential values seen after labels, replaced everywhere */
	spans creds = {0};

	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t end = 0;
		if (label_first(c)) {
			unsigned char lc = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
			for (size_t k = 0; k < PMKB_ARRAY_LEN(labels); k++) {
				const unsigned char *lt = (const unsigned char *)labels[k].text;
				if (lt[0] != lc)
					continue; /* cheap first-byte filter: Chinese text is mostly E5..E8 */
				/* and the next bytes, as label_at compares them (every
				 * label has 3 bytes or more): most Chinese characters
				 * share a lead byte with some label */
				if (i + 2 >= len)
					continue;
				if (lc < 0x80 ? lower_byte(s[i + 1]) != lt[1] || lower_byte(s[i + 2]) != lt[2]
					      : s[i + 1] != lt[1] || s[i + 2] != lt[2])
					continue;
				size_t v = label_at(s, len, i, &labels[k]);
				if (!v)
					continue;
				int kind = labels[k].kind;
				size_t ve;
				if (!strncmp(text + v, "[redacted:", 10))
					ve = v; /* already redacted: keep it idempotent */
				else if (kind == K_PHONE)
					ve = phone_value_end(s, len, v);
				else
					ve = token_end(s, len, v);
				if (ve > v) {
					add_span(&sp, v, ve, kind);
					if ((kind == K_PASSWORD || kind == K_USERNAME) && ve - v >= 4 &&
					    creds.n < 16)
						add_span(&creds, v, ve, kind);
					end = ve;
				} else {
					end = v;
				}
				break;
			}
			if (end) {
				i = end;
				continue;
			}
		}
		if (is_digit(c) && run_starts(s, i)) {
			if (i + 18 <= len && id_shape(s + i) && run_ends(s, len, i + 18)) {
				add_span(&sp, i, i + 18, K_ID);
				i += 18;
				continue;
			}
			if ((end = mobile_at(s, len, i))) {
				add_span(&sp, i, end, K_PHONE);
				i = end;
				continue;
			}
			if ((end = intl_at(s, len, i))) { /* 0086... */
				add_span(&sp, i, end, K_PHONE);
				i = end;
				continue;
			}
		}
		if ((c == '+' || c == '(') && (i == 0 || !run_char(s[i - 1])) && (end = intl_at(s, len, i))) {
			add_span(&sp, i, end, K_PHONE);
			i = end;
			continue;
		}
		if (c == '@') {
			size_t a, b;
			if (email_at(s, len, i, &a, &b)) {
				add_span(&sp, a, b, K_EMAIL);
				i = b;
				continue;
			}
		}
		/* skip the rest of an alphanumeric run: nothing starts inside it */
		if (run_char(c)) {
			while (i < len && run_char(s[i]))
				i++;
			continue;
		}
		i++;
	}

	/* other occurrences of labelled credentials, as whole tokens */
	for (size_t k = 0; k < creds.n; k++) {
		const char *val = text + creds.v[k].start;
		size_t vn = creds.v[k].end - creds.v[k].start;
		const char *p = text;
		const char *hit;
		char *needle = xstrndup(val, vn);
		while ((hit = strstr(p, needle))) {
			size_t a = (size_t)(hit - text), b = a + vn;
			if ((a == 0 || !is_alnum(s[a - 1])) && (b >= len || !is_alnum(s[b])))
				add_span(&sp, a, b, creds.v[k].kind);
			p = hit + vn;
		}
		free(needle);
	}
	free(creds.v);
	*out = sp;
}

/* Characters that stand for ASCII ones in the scan: full-width digits,
 * + - ( ) @ . and the ideographic space (a full-width mobile number is a
 * mobile number). Returns the UTF-8 length at s with the ASCII byte in
 * *ascii, or 0. */
static size_t fullwidth_at(const unsigned char *s, size_t len, size_t i, unsigned char *ascii)
{
	if (i + 3 > len)
		return 0;
	if (s[i] == 0xEF && s[i + 1] == 0xBC) {
		unsigned char c = s[i + 2];
		if (c >= 0x90 && c <= 0x99)
			*ascii = (unsigned char)('0' + (c - 0x90));
		else if (c == 0x8B)
			*ascii = '+';
		else if (c == 0x8D)
			*ascii = '-';
		else if (c == 0x88)
			*ascii = '(';
		else if (c == 0x89)
			*ascii = ')';
		else if (c == 0xA0)
			*ascii = '@';
		else if (c == 0x8E)
			*ascii = '.';
		else
			return 0;
		return 3;
	}
	if (s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80) {
		*ascii = ' ';
		return 3;
	}
	return 0;
}

/* One pass. name: a file name or path, where '_' and '.' separate words
 * ("张三_110105199001011232.jpg", "13812340003.txt"). The scan runs on a
 * copy with full-width characters made ASCII (and, for names, '_' and
 * '.' made blanks); the spans are mapped back to text. */
static char *redact_pass_mode(const char *text, int *count, int name)
{
	if (!text)
		return NULL;
	size_t len = strlen(text);
	const unsigned char *s = (const unsigned char *)text;
	char *scan = xmalloc(len + 1);
	size_t *off = NULL; /* offset in text of each byte of scan, when they differ */
	size_t ns = 0;
	for (size_t i = 0; i < len;) {
		unsigned char a;
		size_t w = (s[i] == 0xEF || s[i] == 0xE3) ? fullwidth_at(s, len, i, &a) : 0;
		if (w && !off) {
			off = xmalloc((len + 1) * sizeof *off);
			for (size_t k = 0; k < ns; k++)
				off[k] = k;
		}
		if (off)
			off[ns] = i;
		if (w) {
			scan[ns++] = (char)a;
			i += w;
		} else {
			scan[ns++] = (char)(name && (s[i] == '_' || s[i] == '.') ? ' ' : s[i]);
			i++;
		}
	}
	scan[ns] = '\0';
	if (off)
		off[ns] = len;
	spans sp = {0};
	find_spans(scan, ns, &sp);
	for (size_t k = 0; off && k < sp.n; k++) {
		sp.v[k].start = off[sp.v[k].start];
		sp.v[k].end = off[sp.v[k].end];
	}
	free(off);
	free(scan);

	if (sp.n > 1)
		qsort(sp.v, sp.n, sizeof(span), cmp_span);
	sbuf out = {0};
	size_t pos = 0;
	int n = 0;
	for (size_t k = 0; k < sp.n; k++) {
		if (sp.v[k].start < pos)
			continue; /* overlaps one already replaced */
		sb_add(&out, text + pos, sp.v[k].start - pos);
		sb_adds(&out, marker[sp.v[k].kind]);
		pos = sp.v[k].end;
		n++;
	}
	sb_add(&out, text + pos, len - pos);
	free(sp.v);
	if (count)
		*count += n;
	return sb_detach(&out);
}

/* One pass can leave a number that only stands alone once its
 * neighbour has become a marker; passes repeat until nothing more is
 * found (at most 8), so a redacted text is stable. */
static char *redact_mode(const char *text, int *count, int name)
{
	if (!text)
		return NULL;
	int n = 0;
	char *cur = redact_pass_mode(text, &n, name);
	for (int pass = 1; n > 0 && pass < 8; pass++) {
		int more = 0;
		char *next = redact_pass_mode(cur, &more, name);
		free(cur);
		cur = next;
		if (!more)
			break;
		n += more;
	}
	if (count)
		*count += n;
	return cur;
}

/* Contract (readers.h). */
char *redact_text(const char *text, int *count)
{
	return redact_mode(text, count, 0);
}

char *redact_name(const char *name, int *count)
{
	return redact_mode(name, count, 1);
}
