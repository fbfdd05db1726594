/* norm.c - hex values, bugcheck codes and module names, normalised once
 * for every part of pmkb (see norm.h; tests/unit/test-norm.c). */
#include "norm.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *pm_norm_hex(const char *s, size_t n)
{
	if (!s)
		return NULL;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (n == 0 || n > 40)
		return NULL;
	char buf[48];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '`')
			continue;
		if (!isxdigit((unsigned char)s[i]))
			return NULL;
		if (k == 0 && s[i] == '0')
			continue;
		if (k >= 16)
			return NULL;
		buf[k++] = (char)tolower((unsigned char)s[i]);
	}
	if (k == 0)
		buf[k++] = '0';
	buf[k] = 0;
	return xasprintf("0x%s", buf);
}

char *pm_norm_value(const char *v)
{
	if (!v)
		return NULL;
	sbuf sb = {0};
	for (const char *p = v; *p; p++) {
		if (*p == '`' || isspace((unsigned char)*p))
			continue;
		sb_addc(&sb, (char)tolower((unsigned char)*p));
	}
	if (sb.len == 0) {
		sb_free(&sb);
		return NULL;
	}
	char *s = sb_detach(&sb);
	const char *d = str_starts(s, "0x") ? s + 2 : s;
	if (!*d)
		return s;
	for (const char *p = d; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return s;
	while (d[0] == '0' && d[1])
		d++;
	char *r = xasprintf("0x%s", d);
	free(s);
	return r;
}

char *pm_bugcheck_fold(const char *code)
{
	if (!code || !str_starts(code, "0x") || strlen(code) > 18 || !code[2])
		return NULL;
	char *end;
	unsigned long long v = strtoull(code + 2, &end, 16);
	if (*end != '\0' || (v >> 16) != 0x1000)
		return NULL;
	return xasprintf("0x%llx", v & 0xffffULL);
}

char *pm_norm_bugcheck(const char *v)
{
	char *c = pm_norm_value(v);
	char *f = pm_bugcheck_fold(c);
	if (f) {
		free(c);
		return f;
	}
	return c;
}

/* Printed names of the kernel and the HAL that are one module each. */
static const char *const nt_aliases[] = {
	"ntoskrnl", "ntkrnlmp", "ntkrnlpa", "ntkrpamp", "ntkrnlup", "ntkrla57", "ntkrnlmp_exe",
};
static const char *const hal_aliases[] = {
	"halmacpi", "halacpi", "halaacpi", "halmps", "halapic", "halsp", "halx86",
};

char *pm_canon_module(const char *name)
{
	if (!name)
		return NULL;
	const char *b = name, *e = name + strlen(name);
	while (b < e && isspace((unsigned char)*b))
		b++;
	/* "nt!" as WinDbg prints a module on its own, trailing blanks */
	while (e > b && (e[-1] == '!' || isspace((unsigned char)e[-1])))
		e--;
	/* "\SystemRoot\system32\DRIVERS\vwifimf.sys": the last component */
	for (const char *p = b; p < e; p++)
		if (*p == '\\' || *p == '/')
			b = p + 1;
	/* "nt!fsrtl" (a !pool owner), "lwfmgr+0x5167": the module part */
	for (const char *p = b; p < e; p++)
		if (*p == '!' || (*p == '+' && p + 1 < e && isxdigit((unsigned char)p[1]))) {
			e = p; /* "c++.dll" is a name, "x+0x10" a module and offset */
			break;
		}
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	char *s = xstrndup(b, (size_t)(e - b));
	str_lower(s);
	size_t n = strlen(s);
	/* WER names a module that had unloaded with "_unloaded" after its
	 * file ("atiadlxx.dll_unloaded"): the module itself */
	if (n > 14 && str_ends(s, "_unloaded") && s[n - 13] == '.') {
		n -= 9;
		s[n] = '\0';
	}
	/* the file's extension: a driver's, a library's, a program's, and the
	 * other kinds of image a crash names (VirtualBox's ring-0 "VMMR0.r0",
	 * a printer's ".drv", a control's ".ocx" or ".cpl", a firmware ".efi") */
	static const char *const ext[] = {".sys", ".dll", ".exe", ".r0", ".drv", ".ocx", ".cpl", ".efi"};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(ext); i++) {
		size_t el = strlen(ext[i]);
		if (n > el && str_ends(s, ext[i])) {
			s[n - el] = '\0';
			break;
		}
	}
	/* WinDbg names a module after its file with every character it cannot
	 * use in an expression replaced by '_' ("acme-flt.sys" -> acme_flt,
	 * "c++.dll" -> c__): one identity for both spellings. Bytes outside
	 * ASCII are kept. */
	for (char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x80 && !isalnum(c) && c != '_')
			*p = '_';
	}
	/* a second module of one name gets its base address after a '_'
	 * ("nt_fffff8070e0b4000" in a live session): the module itself */
	n = strlen(s);
	if (n > 13) {
		size_t h = 0;
		while (h < n && isxdigit((unsigned char)s[n - 1 - h]))
			h++;
		if (h >= 12 && h <= 16 && h + 1 < n && s[n - 1 - h] == '_')
			s[n - 1 - h] = '\0';
	}
	for (size_t i = 0; i < PMKB_ARRAY_LEN(nt_aliases); i++)
		if (strcmp(s, nt_aliases[i]) == 0) {
			free(s);
			return xstrdup("nt");
		}
	for (size_t i = 0; i < PMKB_ARRAY_LEN(hal_aliases); i++)
		if (strcmp(s, hal_aliases[i]) == 0) {
			free(s);
			return xstrdup("hal");
		}
	return s;
}

/* ">X__": the letter C# puts after a generated name's closing '>'
 * ('b' lambda, 'c' closure class "<>c__DisplayClass", 'd' iterator or
 * async state machine, 'f' anonymous type, 'g' local function) */
static int generated_member(const char *p)
{
	return p[0] == '>' && p[1] >= 'a' && p[1] <= 'z' && p[2] == '_' && p[3] == '_';
}

char *pm_canon_function(const char *name)
{
	if (!name)
		return NULL;
	if (!strchr(name, '>'))
		return xstrdup(name);
	size_t n = strlen(name);
	char *out = xmalloc(n + 1), *o = out;
	const char *p = name;
	while (*p) {
		if (!generated_member(p)) {
			*o++ = *p++;
			continue;
		}
		int local = p[1] == 'g';
		memcpy(o, p, 4);
		o += 4;
		p += 4;
		/* the member's own name ("DisplayClass", "AnonymousType", a
		 * local function's), then its ordinals: digits and '_'
		 * between them, after a '|' for a local function */
		if (local) {
			while (*p && *p != '|' && *p != '.' && *p != '(')
				*o++ = *p++;
			if (*p == '|')
				p++;
		} else {
			while (isalpha((unsigned char)*p))
				*o++ = *p++;
		}
		if (!isdigit((unsigned char)*p))
			continue;
		while (isdigit((unsigned char)*p) || (*p == '_' && isdigit((unsigned char)p[1])))
			p++;
	}
	*o = '\0';
	return out;
}

size_t pm_msvc_quoted(const char *s, size_t n)
{
	if (n < 3 || s[0] != '`' || !isalpha((unsigned char)s[1]))
		return 0;
	const char *q = memchr(s + 1, '\'', n - 1 < 64 ? n - 1 : 64);
	return q ? (size_t)(q - s) + 1 : 0;
}

size_t pm_symbol_len(const char *s)
{
	size_t i = 0;
	while (s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '(') {
		size_t q = s[i] == '`' ? pm_msvc_quoted(s + i, strnlen(s + i, 65)) : 0;
		i += q ? q : 1;
	}
	return i;
}
