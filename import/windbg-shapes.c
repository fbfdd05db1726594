/* windbg-shapes.c - line shapes of crash text that other tools and people
 * write (see windbg-shapes.h and docs/windbg-reader.md, "Other tools and
 * prose"). Tables of labels are data: a new tool's or language's label is
 * one more row.
 */
#define _GNU_SOURCE
#include "windbg-shapes.h"
#include "bugcheck-names.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int is_word(int c)
{
	return c < 128 && (isalnum(c) || c == '_');
}

static int ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

static const char *ifind(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (ieq(s + i, needle, m))
			return s + i;
	return NULL;
}

/* A hex number as printed in an argument list: "0x0000000a", "fffff801`2a0f9c8", "0". */
static int is_hex_arg(const char *p, size_t n)
{
	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2, n -= 2;
	if (n == 0 || n > 17)
		return 0;
	size_t digits = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '`')
			continue;
		if (!isxdigit((unsigned char)p[i]))
			return 0;
		digits++;
	}
	return digits > 0 && digits <= 16;
}

static void trim(const char **p, size_t *n)
{
	while (*n && ((*p)[0] == ' ' || (*p)[0] == '`' || (*p)[0] == '"' || (*p)[0] == '*')) {
		(*p)++;
		(*n)--;
	}
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '`' || (*p)[*n - 1] == '"' || (*p)[*n - 1] == '*' ||
		      (*p)[*n - 1] == '.'))
		(*n)--;
}

int ws_code_args(const char *s, size_t n, ws_span *code, ws_span args[4], int *nargs)
{
	static const char *const words[] = {"bugcheck", "bug check", "stop", "fatal system error", "bccode",
					    "bsod", "blue screen", "param1", "insertion strings"};
	/* where the first bugcheck word ends (a code without 0x must follow one) */
	size_t word_end = (size_t)-1;
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
		const char *p = ifind(s, n, words[w]);
		if (p && (size_t)(p - s) + strlen(words[w]) < word_end)
			word_end = (size_t)(p - s) + strlen(words[w]);
	}
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (is_word((unsigned char)s[i - 1]) || s[i - 1] == '!' || s[i - 1] == '+'))
			continue;
		size_t j = i;
		int has0x = 0;
		if (j + 1 < n && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X'))
			j += 2, has0x = 1;
		size_t h = j;
		while (h < n && isxdigit((unsigned char)s[h]))
			h++;
		if (h == j || h - j > 8 || (h < n && is_word((unsigned char)s[h])))
			continue;
		size_t k = h;
		while (k < n && (s[k] == ' ' || s[k] == '`'))
			k++;
		if (!has0x && (word_end == (size_t)-1 || word_end > i))
			continue;
		/* the name between the code and its arguments ("STOP 0x000000D1
		 * DRIVER_IRQL_NOT_LESS_OR_EQUAL (0x0,0x0,0x0,0x0)") */
		if (k < n && isupper((unsigned char)s[k])) {
			size_t t = k;
			while (t < n && (isupper((unsigned char)s[t]) || isdigit((unsigned char)s[t]) || s[t] == '_'))
				t++;
			unsigned long long nc;
			if (t - k >= 8 && memchr(s + k, '_', t - k) && (t >= n || s[t] == ' ' || s[t] == '(') &&
			    bugcheck_code_of(s + k, t - k, &nc)) {
				k = t;
				while (k < n && s[k] == ' ')
					k++;
			}
		}
		/* "STOP: 0x0000001E : (c0000005, 80119914, 00000000, 00000074)":
		 * the list after a colon */
		if (k < n && s[k] == ':' && word_end != (size_t)-1 && word_end <= i) {
			size_t c = k + 1;
			while (c < n && s[c] == ' ')
				c++;
			if (c < n && s[c] == '(')
				k = c;
		}
		/* Windows NT's screen: "STOP 0000000a : 39b880ce 00000002 00000000
		 * 801335d8", the four arguments after a colon, after a stop word */
		if (k < n && s[k] == ':' && word_end != (size_t)-1 && word_end <= i) {
			size_t a = k + 1;
			int na = 0;
			ws_span tmp[4];
			while (na < 4) {
				while (a < n && s[a] == ' ')
					a++;
				size_t e = a;
				while (e < n && s[e] != ' ' && s[e] != ',')
					e++;
				if (e == a || !is_hex_arg(s + a, e - a))
					break;
				tmp[na].p = s + a;
				tmp[na].n = e - a;
				na++;
				a = e + (e < n && s[e] == ',');
			}
			while (a < n && s[a] == ' ')
				a++;
			if (na == 4 && (a >= n || !isxdigit((unsigned char)s[a]))) {
				code->p = s + j;
				code->n = h - j;
				for (int q = 0; q < 4; q++)
					args[q] = tmp[q];
				*nargs = 4;
				return 1;
			}
			continue;
		}
		if (k >= n || s[k] != '(')
			continue;
		/* the argument list */
		size_t a = k + 1;
		int na = 0, hex = 0;
		ws_span tmp[4];
		while (a < n && na < 4) {
			size_t e = a;
			while (e < n && e - a < 96 && s[e] != ',' && s[e] != ')')
				e++;
			if (e < n && e - a >= 96)
				break; /* no argument is that long: not a list */
			const char *p = s + a;
			size_t pn = e - a;
			trim(&p, &pn);
			tmp[na].p = p;
			tmp[na].n = pn;
			if (is_hex_arg(p, pn))
				hex += na < 3;
			na++;
			if (e >= n || s[e] == ')')
				break;
			a = e + 1;
		}
		if (na == 1 && word_end != (size_t)-1 && word_end <= i) {
			/* the four without commas, after a stop word ("STOP:
			 * 0x0000000A (00000595 00000002 00000000 8010da41)") */
			const char *p = tmp[0].p, *e = p + tmp[0].n;
			int nb = 0;
			while (p < e && nb < 5) {
				const char *t = p;
				while (t < e && *t != ' ')
					t++;
				if (!is_hex_arg(p, (size_t)(t - p)))
					break;
				if (nb < 4)
					tmp[nb].p = p, tmp[nb].n = (size_t)(t - p);
				nb++;
				while (t < e && *t == ' ')
					t++;
				p = t;
			}
			if (nb == 4 && p >= e)
				na = 4, hex = 3;
		}
		if (na < 3 || hex < 3)
			continue;
		code->p = s + j;
		code->n = h - j;
		for (int q = 0; q < na; q++)
			args[q] = tmp[q];
		*nargs = na;
		return 1;
	}
	return 0;
}

/* ---- labelled values ---- */

static const struct {
	const char *key; /* lower case (ASCII letters; others as printed), single spaces; "’" read as "'" */
	enum ws_role role;
	char sep;        /* 0: ':' or '='; else only this separator */
} labels[] = {
	{"bug check code", WS_CODE, 0},
	{"bugcheck code", WS_CODE, 0},
	{"bccode", WS_CODE, 0},
	{"stop code", WS_CODE, 0},
	{"stopcode", WS_CODE, 0},
	{"fehlerprüfcode", WS_CODE, 0},
	{"code d'arrêt", WS_CODE, 0},
	{"código de comprobación de errores", WS_CODE, 0},
	{"错误检查代码", WS_CODE, 0},
	{"停止代码", WS_CODE, 0},
	{"バグチェックコード", WS_CODE, 0},
	{"bug check string", WS_NAME, 0},
	{"bugcheck string", WS_NAME, 0},
	{"fehlerprüfstring", WS_NAME, 0},
	{"错误检查字符串", WS_NAME, 0},
	{"caused by driver", WS_CAUSED_BY, 0},
	/* a list of crashes: "- Caused by: ntoskrnl.exe (ntoskrnl.exe+3fbca0)" */
	{"caused by", WS_CAUSED_BY, ':'},
	/* BlueScreenView's "Caused By Address : hal.dll+12a3b" (the module),
	 * and a French crash viewer's "Source du crash" */
	{"caused by address", WS_CAUSED_BY, 0},
	{"source du crash", WS_CAUSED_BY, 0},
	{"verursachender treiber", WS_CAUSED_BY, 0},
	{"driver at fault", WS_CAUSED_BY, 0},
	{"what failed", WS_CAUSED_BY, 0},
	{"失败的操作", WS_CAUSED_BY, 0},
	{"导致问题的驱动程序", WS_CAUSED_BY, 0},
	{"faulting module name", WS_FAULT_MODULE, 0},
	{"fault module name", WS_FAULT_MODULE, 0},
	{"faulting module", WS_FAULT_MODULE, 0},
	{"nom du module défaillant", WS_FAULT_MODULE, 0},
	{"name des fehlerhaften moduls", WS_FAULT_MODULE, 0},
	{"module", WS_FAULT_MODULE, '='},
	{"faulting application name", WS_PROCESS, 0},
	{"application name", WS_PROCESS, 0},
	{"faulting application", WS_PROCESS, 0},
	/* the .NET Runtime's event 1026: "Application: x.exe" */
	{"application", WS_PROCESS, ':'},
	{"nom de l'application défaillante", WS_PROCESS, 0},
	{"name der fehlerhaften anwendung", WS_PROCESS, 0},
	/* Application Error events and WER APPCRASH signatures in Russian,
	 * Spanish and Chinese */
	{"Имя сбойного приложения", WS_PROCESS, 0},
	{"Имя приложения", WS_PROCESS, 0},
	{"Имя сбойного модуля", WS_FAULT_MODULE, 0},
	{"Имя модуля с ошибкой", WS_FAULT_MODULE, 0},
	{"Код исключения", WS_EXCEPTION, 0},
	{"nombre de la aplicación con errores", WS_PROCESS, 0},
	{"nombre del módulo con errores", WS_FAULT_MODULE, 0},
	{"código de excepción", WS_EXCEPTION, 0},
	{"错误应用程序名称", WS_PROCESS, 0},
	{"出错应用程序名称", WS_PROCESS, 0},
	{"出错模块名称", WS_FAULT_MODULE, 0},
	{"错误偏移", WS_FAULT_OFFSET, 0},
	{"错误模块名称", WS_FAULT_MODULE, 0},
	{"异常代码", WS_EXCEPTION, 0},
	/* Dutch WER signatures */
	{"naam van de toepassing", WS_PROCESS, 0},
	{"naam van foutmodule", WS_FAULT_MODULE, 0},
	{"uitzonderingscode", WS_EXCEPTION, 0},
	{"uitzonderingsmarge", WS_FAULT_OFFSET, 0},
	/* Windows' Application Error event and WER's problem signature in
	 * Italian, Portuguese, Polish, Turkish, Korean and traditional
	 * Chinese, the French and German signature, the French short form
	 * ("Module défaillant : x.dll") */
	{"nome dell'applicazione che ha generato l'errore", WS_PROCESS, 0},
	{"nome del modulo che ha generato l'errore", WS_FAULT_MODULE, 0},
	{"nome applicazione", WS_PROCESS, 0},
	{"nome modulo con errori", WS_FAULT_MODULE, 0},
	{"codice eccezione", WS_EXCEPTION, 0},
	{"offset errore", WS_FAULT_OFFSET, 0},
	{"offset eccezione", WS_FAULT_OFFSET, 0},
	{"nome do aplicativo com falha", WS_PROCESS, 0},
	{"nome do módulo com falha", WS_FAULT_MODULE, 0},
	{"nome do aplicativo", WS_PROCESS, 0},
	{"nome do módulo de falhas", WS_FAULT_MODULE, 0},
	{"código de exceção", WS_EXCEPTION, 0},
	{"deslocamento de falha", WS_FAULT_OFFSET, 0},
	{"deslocamento de exceção", WS_FAULT_OFFSET, 0},
	{"nazwa aplikacji powodującej błąd", WS_PROCESS, 0},
	{"nazwa modułu powodującego błąd", WS_FAULT_MODULE, 0},
	{"kod wyjątku", WS_EXCEPTION, 0},
	{"przesunięcie błędu", WS_FAULT_OFFSET, 0},
	{"hata veren uygulama adı", WS_PROCESS, 0},
	{"hata veren modül adı", WS_FAULT_MODULE, 0},
	{"Özel durum kodu", WS_EXCEPTION, 0},
	{"hata uzaklığı", WS_FAULT_OFFSET, 0},
	{"오류 있는 응용 프로그램 이름", WS_PROCESS, 0},
	{"오류 있는 모듈 이름", WS_FAULT_MODULE, 0},
	{"예외 코드", WS_EXCEPTION, 0},
	{"오류 오프셋", WS_FAULT_OFFSET, 0},
	{"失敗的應用程式名稱", WS_PROCESS, 0},
	{"失敗的模組名稱", WS_FAULT_MODULE, 0},
	{"例外狀況代碼", WS_EXCEPTION, 0},
	{"錯誤位移", WS_FAULT_OFFSET, 0},
	{"nom du module par défaut", WS_FAULT_MODULE, 0},
	{"code de l'exception", WS_EXCEPTION, 0},
	{"décalage de l'exception", WS_FAULT_OFFSET, 0},
	{"anwendungsname", WS_PROCESS, 0},
	{"fehlermodulname", WS_FAULT_MODULE, 0},
	{"ausnahmeoffset", WS_FAULT_OFFSET, 0},
	{"module défaillant", WS_FAULT_MODULE, 0},
	{"processus", WS_PROCESS, ':'},
	{"exception", WS_EXCEPTION, ':'},
	/* the path when the name is not printed (its file name) */
	{"faulting application path", WS_PROCESS, 0},
	/* Japanese: the labels of Windows' own event, and those of a build
	 * that mixes its translation with English ("フォールト オフセット") */
	{"障害が発生しているアプリケーション名", WS_PROCESS, 0},
	{"障害が発生したアプリケーション名", WS_PROCESS, 0},
	{"障害が発生しているモジュール名", WS_FAULT_MODULE, 0},
	{"障害が発生したモジュール名", WS_FAULT_MODULE, 0},
	{"例外コード", WS_EXCEPTION, 0},
	{"障害オフセット", WS_FAULT_OFFSET, 0},
	{"フォールト オフセット", WS_FAULT_OFFSET, 0},
	/* Breakpad's minidump_stackwalk: "Crash reason: EXCEPTION_ACCESS_VIOLATION_READ" */
	{"crash reason", WS_EXCEPTION, ':'},
	{"exception code", WS_EXCEPTION, 0},
	{"code d'exception", WS_EXCEPTION, 0},
	{"ausnahmecode", WS_EXCEPTION, 0},
	{"exceptioncode", WS_EXCEPTION, 0},
	{"code", WS_EXCEPTION, '='},
	{"bucket id", WS_BUCKET, 0},
	{"failure bucket", WS_BUCKET, 0},
	{"failure.bucket", WS_BUCKET, 0},
	{"code", WS_WER_CODE, ':'},
	{"dump file", WS_DUMP, 0},
	{"fault offset", WS_FAULT_OFFSET, 0},
	{"exception offset", WS_FAULT_OFFSET, 0},
	{"error offset", WS_FAULT_OFFSET, 0},
	{"décalage de l'erreur", WS_FAULT_OFFSET, 0},
	{"fehleroffset", WS_FAULT_OFFSET, 0},
	{"Смещение ошибки", WS_FAULT_OFFSET, 0},
	{"desplazamiento de errores", WS_FAULT_OFFSET, 0},
	{"错误偏移量", WS_FAULT_OFFSET, 0},
	/* MiniDumper's summary: "Process: x.exe, ...", "Third-party modules in
	 * the stack: x.sys" (the first) */
	{"process", WS_PROCESS, ':'},
	{"third-party modules in the stack", WS_CAUSED_BY, ':'},
	{"crash dump file", WS_DUMP, 0}, /* WhoCrashed: one block per crash */
	{"dump-datei", WS_DUMP, 0},
	{"fichier de vidage", WS_DUMP, 0},
	{"转储文件", WS_DUMP, 0},
};

/* "parameter 1", "bcp1", "paramètre 1", "参数 1" -> 1..4, else 0. */
static int param_no(const char *k, size_t n)
{
	static const char *const pre[] = {"parameter", "paramètre", "parámetro", "param", "bcp", "参数", "parametro"};
	for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
		size_t m = strlen(pre[i]);
		if (n < m + 1 || memcmp(k, pre[i], m) != 0)
			continue;
		size_t j = m;
		if (j < n && k[j] == ' ')
			j++;
		if (j + 1 == n && k[j] >= '1' && k[j] <= '4')
			return k[j] - '0';
	}
	return 0;
}

static enum ws_role labelled_at(const char *s, size_t n, ws_span *value);

/* The key of a label s[0..n): lower case, "’" as "'", single spaces, no
 * trailing space, in key (80 bytes); its length. */
static size_t label_key(const char *s, size_t n, char key[80])
{
	size_t kn = 0;
	for (size_t i = 0; i < n && kn + 1 < 80; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99) {
			key[kn++] = '\'';
			i += 2;
			continue;
		}
		if (c == ' ' && (kn == 0 || key[kn - 1] == ' '))
			continue;
		key[kn++] = (char)(c < 128 ? tolower(c) : c);
	}
	while (kn && key[kn - 1] == ' ')
		kn--;
	key[kn] = 0;
	return kn;
}

/* A labelled line; or, when the line's start is no label, the message
 * column of an Event Viewer row copied as text ("Erreur  2015-10-02
 * 17:35:49 Application Error  1000  (100)  "Nom de l'application
 * défaillante : x.exe, ..."): the label after the first '"'. */
enum ws_role ws_labelled(const char *s, size_t n, ws_span *value)
{
	enum ws_role r = labelled_at(s, n, value);
	if (r != WS_NONE)
		return r;
	/* the message cell of a row exported as CSV: after one of its first
	 * few quotes ("4/22/2014 5:05:28 PM;"Error";".NET Runtime";"1026";"Application: x.exe") */
	const char *q = s;
	/* only the first quote, unless the line is a CSV row */
	int csv = memmem(s, n, "\";\"", 3) || memmem(s, n, "\",\"", 3);
	for (int k = 0; k < (csv ? 8 : 1); k++) {
		q = (size_t)(q - s) + 1 < n ? memchr(q + 1, '"', n - (size_t)(q + 1 - s)) : NULL;
		if (!q || (size_t)(q - s) + 2 >= n)
			return WS_NONE;
		r = labelled_at(q + 1, n - (size_t)(q + 1 - s), value);
		if (r != WS_NONE)
			return r;
	}
	return WS_NONE;
}

/* The value of a labelled line of this role, cut where it ends ("x.exe,
 * version: ...": the file name) */
static enum ws_role value_of(enum ws_role role, const char *v, size_t vn, ws_span *value)
{
	if (role == WS_NONE || vn == 0)
		return WS_NONE;
	if (role == WS_FAULT_MODULE || role == WS_PROCESS || role == WS_CAUSED_BY) {
		/* "notepad.exe, version: 10.0...", "*** shv.sys - Address ...";
		 * a file name with spaces up to its extension when a comma (also
		 * "，") or the end follows ("Macro Deck 2.exe" in a WER
		 * signature whose tabs became spaces) */
		size_t e = 0, c = 0;
		while (c < vn && v[c] != ',' &&
		       !(c + 2 < vn && (unsigned char)v[c] == 0xEF && (unsigned char)v[c + 1] == 0xBC &&
			 (unsigned char)v[c + 2] == 0x8C))
			c++;
		while (c && v[c - 1] == ' ')
			c--;
		if (c > 4 && memchr(v, ' ', c) &&
		    (ieq(v + c - 4, ".exe", 4) || ieq(v + c - 4, ".dll", 4) || ieq(v + c - 4, ".sys", 4))) {
			e = c;
		} else {
			while (e < c && v[e] != ' ')
				e++;
		}
		vn = e;
		trim(&v, &vn);
	} else if (role == WS_EXCEPTION || role == WS_CODE || role == WS_WER_CODE || role == WS_FAULT_OFFSET ||
		   (role >= WS_P1 && role <= WS_P4)) {
		size_t e = 0;
		while (e < vn && v[e] != ',' && v[e] != ' ' && v[e] != '(')
			e++;
		if (e)
			vn = e;
	}
	if (vn == 0)
		return WS_NONE;
	value->p = v;
	value->n = vn;
	return role;
}

/* A label without its colon: the first line of an Application Error
 * event as some translations print it ("Nom de l’application défaillante
 * x.exe, version : ..."), WER's fields as a newer event shows them
 * ("AppName WindowsTerminal.exe", "ExceptionCode c0000409"). */
static enum ws_role label_no_colon(const char *s, size_t n, ws_span *value)
{
	static const struct {
		const char *key;
		enum ws_role role;
	} wer[] = {{"AppName ", WS_PROCESS},
		   {"ModuleName ", WS_FAULT_MODULE},
		   {"ExceptionCode ", WS_EXCEPTION},
		   {"FaultingOffset ", WS_FAULT_OFFSET}};
	for (size_t k = 0; n > 6 && s[0] >= 'A' && s[0] <= 'Z' && k < sizeof wer / sizeof wer[0]; k++) {
		size_t m = strlen(wer[k].key);
		if (n > m && memcmp(s, wer[k].key, m) == 0 && s[m] != ' ') {
			const char *v = s + m;
			size_t vn = n - m;
			trim(&v, &vn);
			if (vn && !memchr(v, ' ', vn))
				return value_of(wer[k].role, v, vn, value);
		}
	}
	unsigned char first = n ? (unsigned char)tolower((unsigned char)s[0]) : 0;
	for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
		if ((unsigned char)labels[k].key[0] != first || labels[k].sep ||
		    (labels[k].role != WS_PROCESS && labels[k].role != WS_FAULT_MODULE))
			continue;
		const char *key = labels[k].key;
		if (strlen(key) < 15)
			continue;
		/* the key against the line: any case, "’" for "'" */
		size_t i = 0;
		for (const char *q = key; *q; q++) {
			if (*q == '\'' && i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
			    (unsigned char)s[i + 2] == 0x99) {
				i += 3;
				continue;
			}
			if (i >= n || tolower((unsigned char)s[i]) != (unsigned char)*q) {
				i = 0;
				break;
			}
			i++;
		}
		if (i && i < n && s[i] == ' ') {
			const char *v = s + i;
			size_t vn = n - i;
			trim(&v, &vn);
			/* a file name, not another label's value ("Faulting
			 * Application Path: C:\...\x.exe") */
			enum ws_role r = vn ? value_of(labels[k].role, v, vn, value) : WS_NONE;
			if (r != WS_NONE && !memchr(value->p, ':', value->n) && !memchr(value->p, '\\', value->n) &&
			    !memchr(value->p, '/', value->n))
				return r;
		}
	}
	return WS_NONE;
}

static enum ws_role labelled_at(const char *s, size_t n, ws_span *value)
{
	/* bullets */
	while (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ')
		s += 2, n -= 2;
	if (n >= 4 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xA2)
		s += 3, n -= 3; /* "•" */
	while (n && (s[0] == ' ' || s[0] == '"' || s[0] == '`'))
		s++, n--;
	/* the first line of an event's data in Event XML: "<Data>Application: x.exe" */
	if (n > 6 && memcmp(s, "<Data>", 6) == 0)
		s += 6, n -= 6;
	/* Markdown italic opened before a label: "_Faulting application name: x.exe" */
	if (n > 2 && s[0] == '_' && isalpha((unsigned char)s[1]))
		s++, n--;
	/* Markdown emphasis around the whole line: "**Exception code: 0xc0000374**" */
	if (n > 4 && ((s[0] == '*' && s[1] == '*') || (s[0] == '_' && s[1] == '_'))) {
		char m = s[0];
		s += 2, n -= 2;
		if (n >= 2 && s[n - 1] == m && s[n - 2] == m)
			n -= 2;
	}
	/* the separator: ':' / '=' / '：' within the first 72 bytes (eighteen
	 * Japanese characters are 54) */
	size_t sep = 0, after = 0;
	char sc = 0;
	for (size_t i = 0; i < n && i < 72; i++) {
		if (s[i] == ':' || s[i] == '=') {
			sep = i, after = i + 1, sc = s[i];
			break;
		}
		if (i + 2 < n && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
		    (unsigned char)s[i + 2] == 0x9A) {
			sep = i, after = i + 3, sc = ':';
			break;
		}
	}
	if (!sc || sep == 0)
		return label_no_colon(s, n, value);
	char key[80];
	size_t kn = label_key(s, sep, key);
	if (kn == 0)
		return WS_NONE;
	const char *v = s + after;
	size_t vn = n - after;
	trim(&v, &vn);
	enum ws_role role = WS_NONE;
	int p = param_no(key, kn);
	if (p)
		role = (enum ws_role)(WS_P1 + p - 1);
	for (size_t i = 0; i < sizeof labels / sizeof labels[0] && role == WS_NONE; i++)
		if (labels[i].key[0] == key[0] && strcmp(key, labels[i].key) == 0 && (!labels[i].sep || labels[i].sep == sc))
			role = labels[i].role;
	if (role == WS_NONE)
		return label_no_colon(s, n, value);
	return value_of(role, v, vn, value);
}

/* The role of a label printed alone on its line ("Bug Check Code",
 * "Paramètre 1"), WS_NONE when the line is no label of the table. */
enum ws_role ws_label_alone(const char *s, size_t n)
{
	char key[80];
	size_t kn = label_key(s, n, key);
	if (kn == 0)
		return WS_NONE;
	int p = param_no(key, kn);
	if (p)
		return (enum ws_role)(WS_P1 + p - 1);
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (labels[i].key[0] == key[0] && !labels[i].sep && strcmp(key, labels[i].key) == 0)
			return labels[i].role;
	return WS_NONE;
}

int ws_label_starts(const char *s, size_t n)
{
	size_t lim = n < 72 ? n : 72;
	const char *c = memchr(s, ':', lim);
	if (!c)
		return 0;
	char key[80];
	size_t kn = label_key(s, (size_t)(c - s), key);
	if (kn == 0)
		return 0;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (labels[i].key[0] == key[0] && (!labels[i].sep || labels[i].sep == ':') && strcmp(key, labels[i].key) == 0)
			return 1;
	return 0;
}

/* The role of a column of a table a person wrote ("| Dump | Bugcheck |
 * Process | Driver |"): a label of the summaries above, or one of the
 * words people head such a column with. WS_NONE otherwise. */
enum ws_role ws_table_column(const char *s, size_t n)
{
	while (n && (*s == '`' || *s == '*' || *s == ' '))
		s++, n--;
	while (n && (s[n - 1] == '`' || s[n - 1] == '*' || s[n - 1] == ' ' || s[n - 1] == ':'))
		n--;
	enum ws_role r = ws_label_alone(s, n);
	if (r != WS_NONE)
		return r;
	char key[80];
	size_t kn = label_key(s, n, key);
	if (kn == 0)
		return WS_NONE;
	if (kn == 4 && memcmp(key, "arg", 3) == 0 && key[3] >= '1' && key[3] <= '4')
		return (enum ws_role)(WS_P1 + key[3] - '1');
	static const struct {
		const char *key;
		enum ws_role role;
	} cols[] = {
		{"bugcheck", WS_CODE}, {"bug check", WS_CODE}, {"stop code", WS_CODE}, {"stop error", WS_CODE},
		{"bugcheck name", WS_CODE}, {"bsod code", WS_CODE}, {"code", WS_CODE},
		{"process", WS_PROCESS}, {"process name", WS_PROCESS}, {"application", WS_PROCESS},
		{"driver", WS_CAUSED_BY}, {"module", WS_CAUSED_BY}, {"culprit", WS_CAUSED_BY}, {"caused by", WS_CAUSED_BY},
		{"image", WS_CAUSED_BY}, {"image name", WS_CAUSED_BY}, {"faulting driver", WS_CAUSED_BY},
		{"faulting module", WS_CAUSED_BY}, {"probable cause", WS_CAUSED_BY},
		{"bucket", WS_BUCKET}, {"failure bucket", WS_BUCKET}, {"failure bucket id", WS_BUCKET},
		{"exception", WS_EXCEPTION}, {"exception code", WS_EXCEPTION},
		{"dump", WS_DUMP}, {"dump file", WS_DUMP}, {"minidump", WS_DUMP},
	};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		if (strcmp(key, cols[i].key) == 0)
			return cols[i].role;
	return WS_NONE;
}

/* ---- names ---- */

int ws_bugcheck_name(const char *s, size_t n, unsigned long long *code, ws_span *name)
{
	int tries = 0;
	for (size_t i = 0; i < n && tries < 64; i++) {
		if (!isalpha((unsigned char)s[i]) || (i > 0 && is_word((unsigned char)s[i - 1])))
			continue;
		size_t e = i;
		int us = 0, upper = 1;
		while (e < n && is_word((unsigned char)s[e])) {
			us |= s[e] == '_';
			upper &= !islower((unsigned char)s[e]);
			e++;
		}
		tries++;
		if (us && e - i >= 12) {
			/* exactly, or mistyped in upper case (not a field's label: "X_Y_Z:") */
			if (bugcheck_code_of(s + i, e - i, code) ||
			    (upper && !(e < n && (s[e] == ':' || s[e] == '=')) && bugcheck_code_near(s + i, e - i, code))) {
				name->p = s + i;
				name->n = e - i;
				return 1;
			}
			/* a blank for one of its '_' ("SYSTEM_THREAD_EXCEPTION_NOT
			 * HANDLED"): the upper-case words after it too */
			if (upper && e + 1 < n && s[e] == ' ' && isupper((unsigned char)s[e + 1])) {
				size_t w = e;
				for (int k = 0; k < 3 && w + 1 < n && s[w] == ' ' && isupper((unsigned char)s[w + 1]); k++) {
					size_t x = w + 1;
					int up = 1;
					while (x < n && is_word((unsigned char)s[x]))
						up &= !islower((unsigned char)s[x]), x++;
					if (!up)
						break;
					w = x;
					if (bugcheck_code_of(s + i, w - i, code)) {
						name->p = s + i;
						name->n = w - i;
						return 1;
					}
				}
			}
		}
		if (upper && !us && e - i >= 2) {
			/* upper-case words: the longest run that is a name */
			size_t ends[10];
			int nw = 0;
			size_t w = e;
			ends[nw++] = w;
			while (nw < 10 && w + 1 < n && s[w] == ' ' && isupper((unsigned char)s[w + 1])) {
				size_t x = w + 1;
				int up = 1;
				while (x < n && is_word((unsigned char)s[x])) {
					up &= !islower((unsigned char)s[x]) && s[x] != '_';
					x++;
				}
				if (!up)
					break;
				w = x;
				ends[nw++] = w;
			}
			for (int k = nw - 1; k >= 1; k--)
				if (bugcheck_code_of(s + i, ends[k] - i, code)) {
					name->p = s + i;
					name->n = ends[k] - i;
					return 1;
				}
			/* three words or more, mistyped ("PAGE FAULT IN NON PAGED AREA") */
			for (int k = nw - 1; k >= 2; k--)
				if (bugcheck_code_near(s + i, ends[k] - i, code)) {
					name->p = s + i;
					name->n = ends[k] - i;
					return 1;
				}
		}
		if (!us && e - i >= 3 && e + 1 < n && s[e] == ' ' && isalpha((unsigned char)s[e + 1]) &&
		    bugcheck_name_word(s + i, e - i)) {
			/* words in Title Case or lower case, three or more ("a
			 * Kernel Security Check Failure BSOD", "System Services
			 * Exception", "irql not less or equal"): the longest run
			 * that is a name */
			size_t ends[10];
			int nw = 0;
			size_t w = e;
			ends[nw++] = w;
			while (nw < 10 && w + 1 < n && s[w] == ' ' && isalpha((unsigned char)s[w + 1])) {
				size_t x = w + 1;
				while (x < n && isalpha((unsigned char)s[x]))
					x++;
				if ((x < n && is_word((unsigned char)s[x])) || !bugcheck_name_word(s + w + 1, x - w - 1))
					break;
				w = x;
				ends[nw++] = w;
			}
			for (int k = nw - 1; k >= 2; k--)
				if (bugcheck_code_of(s + i, ends[k] - i, code)) {
					name->p = s + i;
					name->n = ends[k] - i;
					return 1;
				}
		}
		i = e;
	}
	return 0;
}

int ws_table_row(const char *s, size_t n, ws_span *code, ws_span args[4], ws_span *driver)
{
	/* the cells: runs of bytes other than ' ' and '|' (enough for a row
	 * glued to BlueScreenView's 30 column headers when its tabs were
	 * flattened to spaces) */
	ws_span t[256];
	int nt = 0;
	for (size_t i = 0; i < n && nt < 256;) {
		while (i < n && (s[i] == ' ' || s[i] == '|'))
			i++;
		size_t b = i;
		while (i < n && s[i] != ' ' && s[i] != '|')
			i++;
		if (i > b)
			t[nt].p = s + b, t[nt].n = i - b, nt++;
	}
	for (int i = 1; i + 4 < nt; i++) {
		const ws_span *c = &t[i];
		if (c->n != 10 || c->p[0] != '0' || (c->p[1] != 'x' && c->p[1] != 'X') || !is_hex_arg(c->p, c->n))
			continue;
		/* the name before it ("SYSTEM\_SERVICE\_EXCEPTION" in Markdown) */
		char nm[96];
		size_t k = 0;
		for (size_t j = 0; j < t[i - 1].n && k + 1 < sizeof nm; j++)
			if (t[i - 1].p[j] != '\\')
				nm[k++] = t[i - 1].p[j];
		unsigned long long cv;
		if (!bugcheck_code_of(nm, k, &cv))
			continue;
		int ok = 1;
		for (int a = 0; a < 4 && ok; a++)
			ok = is_hex_arg(t[i + 1 + a].p, t[i + 1 + a].n);
		if (!ok)
			continue;
		*code = *c;
		for (int a = 0; a < 4; a++)
			args[a] = t[i + 1 + a];
		driver->p = NULL;
		driver->n = 0;
		if (i + 5 < nt) {
			const ws_span *d = &t[i + 5];
			if (d->n > 4 && (ieq(d->p + d->n - 4, ".sys", 4) || ieq(d->p + d->n - 4, ".dll", 4) ||
					 ieq(d->p + d->n - 4, ".exe", 4)))
				*driver = *d;
		}
		return 1;
	}
	return 0;
}

int ws_bucket_code(const char *b, unsigned long long *code)
{
	if (!b)
		return 0;
	const char *colon = strchr(b, ':');
	if (colon && colon - b <= 3)
		b = colon + 1;
	size_t lim = strcspn(b, "! ");
	for (size_t i = 0; i + 2 < lim; i++) {
		if (i > 0 && b[i - 1] != '_')
			continue;
		if (b[i] != '0' || (b[i + 1] != 'x' && b[i + 1] != 'X'))
			continue;
		size_t j = i + 2;
		while (j < lim && isxdigit((unsigned char)b[j]))
			j++;
		if (j == i + 2 || j - i - 2 > 8 || (j < lim && b[j] != '_'))
			continue;
		char tmp[12];
		memcpy(tmp, b + i + 2, j - i - 2);
		tmp[j - i - 2] = 0;
		*code = strtoull(tmp, NULL, 16);
		return *code != 0;
	}
	return 0;
}

/* ---- user-mode exceptions by name ---- */

int ws_exception_name(const char *s, size_t n, unsigned long *code)
{
	static const struct {
		const char *name;
		unsigned long code;
	} names[] = {
		{"EXCEPTION_ACCESS_VIOLATION", 0xc0000005UL},
		{"EXCEPTION_IN_PAGE_ERROR", 0xc0000006UL},
		{"EXCEPTION_INVALID_HANDLE", 0xc0000008UL},
		{"EXCEPTION_ILLEGAL_INSTRUCTION", 0xc000001dUL},
		{"EXCEPTION_NONCONTINUABLE_EXCEPTION", 0xc0000025UL},
		{"EXCEPTION_INVALID_DISPOSITION", 0xc0000026UL},
		{"EXCEPTION_ARRAY_BOUNDS_EXCEEDED", 0xc000008cUL},
		{"EXCEPTION_FLT_DIVIDE_BY_ZERO", 0xc000008eUL},
		{"EXCEPTION_INT_DIVIDE_BY_ZERO", 0xc0000094UL},
		{"EXCEPTION_INT_OVERFLOW", 0xc0000095UL},
		{"EXCEPTION_PRIV_INSTRUCTION", 0xc0000096UL},
		{"EXCEPTION_STACK_OVERFLOW", 0xc00000fdUL},
		{"EXCEPTION_HEAP_CORRUPTION", 0xc0000374UL},
		{"EXCEPTION_STACK_BUFFER_OVERRUN", 0xc0000409UL},
		{"EXCEPTION_DATATYPE_MISALIGNMENT", 0x80000002UL},
		{"EXCEPTION_BREAKPOINT", 0x80000003UL},
		{"EXCEPTION_SINGLE_STEP", 0x80000004UL},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t m = strlen(names[i].name);
		if (n < m || memcmp(s, names[i].name, m) != 0)
			continue;
		/* Breakpad's "_READ", "_WRITE", "_EXEC" of an access violation */
		if (n > m && !(m == 26 && (n - m == 5 || n - m == 6) &&
			       (!memcmp(s + m, "_READ", 5) || !memcmp(s + m, "_EXEC", 5) ||
				(n - m == 6 && !memcmp(s + m, "_WRITE", 6)))))
			continue;
		*code = names[i].code;
		return 1;
	}
	return 0;
}
