/* config.h - pmkb's configuration: "key = value" lines read from the user's
 * file ($XDG_CONFIG_HOME/pmkb/config, else ~/.config/pmkb/config), then the
 * knowledge base's own DIR/config, whose values win. Keys are dotted names
 * ("serve.token", "suggest.threshold"); docs/config.md lists them.
 *
 * Ownership: a pm_config owns every string it returns; config_free()
 * releases them all. Nothing here touches storage.
 */
#ifndef PMKB_CONFIG_H
#define PMKB_CONFIG_H

#include <stddef.h>

typedef struct pm_config pm_config;

/* The user's config file path (caller frees), or NULL when neither
 * XDG_CONFIG_HOME nor HOME is set. */
char *config_user_path(void);

/* Read the user's file and then db_dir/config (db_dir may be NULL). A
 * missing file is not an error. Returns 0 with *out set (never NULL), or
 * -1 with "FILE:LINE: reason" in err for an unreadable file or a line that
 * is not "key = value". */
int config_load(const char *db_dir, pm_config **out, char *err, size_t errsz);

/* Parse one file's text into c (later values replace earlier ones); name
 * is used in error messages. Returns 0, or -1 with a reason in err. */
int config_parse(pm_config *c, const char *text, const char *name, char *err, size_t errsz);

pm_config *config_new(void);
void config_free(pm_config *c);

/* The value of key, or NULL when unset. */
const char *config_get(const pm_config *c, const char *key);

/* The value of key as a number; def when unset. Returns 0, or -1 with a
 * reason in err when the value is not a number. */
int config_get_double(const pm_config *c, const char *key, double def, double *out,
		      char *err, size_t errsz);

/* Number of entries, and entry i (in file order, last value of each key). */
size_t config_count(const pm_config *c);
const char *config_key(const pm_config *c, size_t i, const char **value);

/* Is key a well-formed key: [a-z0-9_-]+ dot-separated, at least one dot? */
int config_key_valid(const char *key);

/* Set key to value (NULL: remove it) in the file at path, keeping its
 * other lines and comments; the file is rewritten atomically (temporary
 * file, fsync, rename) with mode 0600, since it may hold tokens. Returns
 * 0, or -1 with a reason in err. */
int config_set_file(const char *path, const char *key, const char *value, char *err, size_t errsz);

#endif
