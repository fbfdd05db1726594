/* config.c - "key = value" configuration files (see config.h). */
#define _GNU_SOURCE
#include "config.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_MAX_BYTES (1u << 20) /* a config file is small; refuse more */

struct pm_config {
	char **keys, **values;
	size_t n, cap;
};

pm_config *config_new(void)
{
	return xcalloc(1, sizeof(pm_config));
}

void config_free(pm_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->keys[i]);
		free(c->values[i]);
	}
	free(c->keys);
	free(c->values);
	free(c);
}

int config_key_valid(const char *key)
{
	int dots = 0;
	size_t seg = 0;
	for (const char *p = key; *p; p++) {
		if (*p == '.') {
			if (seg == 0)
				return 0;
			dots++;
			seg = 0;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-') {
			seg++;
		} else {
			return 0;
		}
	}
	return dots > 0 && seg > 0;
}

static void put(pm_config *c, const char *key, size_t klen, const char *val, size_t vlen)
{
	for (size_t i = 0; i < c->n; i++) {
		if (strlen(c->keys[i]) == klen && memcmp(c->keys[i], key, klen) == 0) {
			free(c->values[i]);
			c->values[i] = xstrndup(val, vlen);
			return;
		}
	}
	if (c->n == c->cap) {
		size_t cap = c->cap;
		XGROW(c->keys, cap, c->n + 1);
		XGROW(c->values, c->cap, c->n + 1);
	}
	c->keys[c->n] = xstrndup(key, klen);
	c->values[c->n] = xstrndup(val, vlen);
	c->n++;
}

/* One line: blank, a comment (# or ;), or "key = value". On success key and val
 * point into line (val trimmed, may be empty); returns 1 for an entry, 0
 * for nothing, -1 for a malformed line. */
static int split_line(char *line, char **key, char **val)
{
	char *s = str_trim(line);
	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	char *eq = strchr(s, '=');
	if (!eq)
		return -1;
	*eq = '\0';
	*key = str_trim(s);
	*val = str_trim(eq + 1);
	size_t vl = strlen(*val);
	if (vl >= 2 && (*val)[0] == '"' && (*val)[vl - 1] == '"') {
		(*val)[vl - 1] = '\0';
		(*val)++;
	}
	return config_key_valid(*key) ? 1 : -1;
}

int config_parse(pm_config *c, const char *text, const char *name, char *err, size_t errsz)
{
	char *copy = xstrdup(text), *save = copy, *line;
	int lineno = 0, rc = 0;
	/* strsep keeps empty lines, so line numbers stay right */
	while ((line = strsep(&save, "\n")) != NULL) {
		lineno++;
		char *k, *v;
		int r = split_line(line, &k, &v);
		if (r < 0) {
			snprintf(err, errsz, "%s:%d: not a 'section.key = value' line", name, lineno);
			rc = -1;
			break;
		}
		if (r > 0)
			put(c, k, strlen(k), v, strlen(v));
	}
	free(copy);
	return rc;
}

char *config_user_path(void)
{
	const char *e = getenv("XDG_CONFIG_HOME");
	if (e && *e)
		return xasprintf("%s/pmkb/config", e);
	e = getenv("HOME");
	if (e && *e)
		return xasprintf("%s/.config/pmkb/config", e);
	return NULL;
}

static int load_file(pm_config *c, const char *path, char *err, size_t errsz)
{
	char *text = NULL, rerr[256];
	size_t len = 0;
	pm_status rst = PM_OK;
	struct stat st;
	if (stat(path, &st) != 0 && errno == ENOENT)
		return 0;
	if (read_file_bounded(path, CONFIG_MAX_BYTES, &text, &len, rerr, sizeof rerr, &rst) != 0) {
		snprintf(err, errsz, "%s: %s", path, rerr);
		return -1;
	}
	if (!utf8_valid(text, len) || memchr(text, '\0', len)) {
		snprintf(err, errsz, "%s: not UTF-8 text", path);
		free(text);
		return -1;
	}
	int rc = config_parse(c, text, path, err, errsz);
	free(text);
	return rc;
}

int config_load(const char *db_dir, pm_config **out, char *err, size_t errsz)
{
	pm_config *c = config_new();
	char *user = config_user_path();
	int rc = user ? load_file(c, user, err, errsz) : 0;
	free(user);
	if (rc == 0 && db_dir) {
		char *p = xasprintf("%s/config", db_dir);
		rc = load_file(c, p, err, errsz);
		free(p);
	}
	if (rc != 0) {
		config_free(c);
		*out = NULL;
		return -1;
	}
	*out = c;
	return 0;
}

const char *config_get(const pm_config *c, const char *key)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (strcmp(c->keys[i], key) == 0)
			return c->values[i];
	return NULL;
}

int config_get_double(const pm_config *c, const char *key, double def, double *out,
		      char *err, size_t errsz)
{
	const char *v = config_get(c, key);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	char *end = NULL;
	errno = 0;
	double d = strtod(v, &end);
	if (errno != 0 || end == v || *str_trim(end) != '\0') {
		snprintf(err, errsz, "config %s: '%s' is not a number", key, v);
		return -1;
	}
	*out = d;
	return 0;
}

size_t config_count(const pm_config *c)
{
	return c ? c->n : 0;
}

const char *config_key(const pm_config *c, size_t i, const char **value)
{
	if (!c || i >= c->n)
		return NULL;
	if (value)
		*value = c->values[i];
	return c->keys[i];
}

/* Make the parent directories of path (mode 0700). */
static int mkparents(const char *path)
{
	char *p = xstrdup(path);
	for (char *q = p + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*q = '/';
	}
	free(p);
	return 0;
}

int config_set_file(const char *path, const char *key, const char *value, char *err, size_t errsz)
{
	if (!config_key_valid(key)) {
		snprintf(err, errsz, "'%s' is not a key (section.name, lower case)", key);
		return -1;
	}
	if (value && strpbrk(value, "\n\r")) {
		snprintf(err, errsz, "a value is one line");
		return -1;
	}
	char *text = NULL, rerr[256];
	size_t len = 0;
	pm_status rst = PM_OK;
	struct stat st;
	if (stat(path, &st) == 0) {
		if (read_file_bounded(path, CONFIG_MAX_BYTES, &text, &len, rerr, sizeof rerr, &rst) != 0) {
			snprintf(err, errsz, "%s: %s", path, rerr);
			return -1;
		}
		pm_config *check = config_new();
		int bad = config_parse(check, text, path, err, errsz);
		config_free(check);
		if (bad) {
			free(text);
			return -1;
		}
	}
	/* Rewrite: every line kept but those setting key; the new value where
	 * the first of them stood, else at the end. */
	sbuf out = {0};
	int done = 0;
	if (text) {
		char *save = text, *line;
		while ((line = strsep(&save, "\n")) != NULL) {
			if (!save && *line == '\0')
				break; /* the final newline */
			char *dup = xstrdup(line), *k, *v;
			int r = split_line(dup, &k, &v);
			int mine = r > 0 && strcmp(k, key) == 0;
			free(dup);
			if (mine) {
				if (!done && value)
					sb_addf(&out, "%s = %s\n", key, value);
				done = 1;
				continue;
			}
			sb_addf(&out, "%s\n", line);
		}
	}
	if (!done && value)
		sb_addf(&out, "%s = %s\n", key, value);
	free(text);

	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = -1, rc = -1;
	if (mkparents(path) != 0 ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		snprintf(err, errsz, "%s: %s", fd < 0 && errno ? tmp : path, strerror(errno));
		goto out;
	}
	if (write(fd, out.buf ? out.buf : "", out.len) != (ssize_t)out.len || fsync(fd) != 0) {
		snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	sb_free(&out);
	return rc;
}
