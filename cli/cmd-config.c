/* cmd-config.c - pmkb config: read and change the configuration files
 * (util/config.h; the keys are listed in docs/config.md). */
#include "cli.h"
#include "../util/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_config(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *cmd = cli_command_find("config");
	int user = 0, c;
	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'u':
			user = 1;
			break;
		default:
			return cli_getopt_exit;
		}
	}
	if (optind >= argc)
		return cli_usage(cmd->usage, "say get, set, unset or list");
	const char *verb = argv[optind++];
	int nargs = argc - optind;
	char **args = argv + optind;
	char err[512] = "";

	if (strcmp(verb, "get") == 0 || strcmp(verb, "list") == 0) {
		int get = verb[0] == 'g';
		if (nargs != (get ? 1 : 0))
			return cli_usage(cmd->usage, get ? "get takes one KEY" : "list takes no argument");
		const pm_config *cfg = NULL;
		int rc = cli_config(ctx, &cfg);
		if (rc != PMKB_EX_OK)
			return rc;
		if (get) {
			const char *v = config_get(cfg, args[0]);
			if (!v)
				return PMKB_EX_NOMATCH;
			printf("%s\n", v);
			return PMKB_EX_OK;
		}
		const char *v;
		for (size_t i = 0; i < config_count(cfg); i++) {
			const char *k = config_key(cfg, i, &v);
			printf("%s = %s\n", k, v);
		}
		return PMKB_EX_OK;
	}
	if (strcmp(verb, "set") != 0 && strcmp(verb, "unset") != 0)
		return cli_usage(cmd->usage, "'%s' is not get, set, unset or list", verb);
	int set = verb[0] == 's';
	if (nargs != (set ? 2 : 1))
		return cli_usage(cmd->usage, set ? "set takes KEY VALUE" : "unset takes one KEY");
	if (!config_key_valid(args[0]))
		return cli_usage(cmd->usage, "'%s' is not a key (section.name, lower case)", args[0]);
	char *path = NULL;
	if (user) {
		path = config_user_path();
		if (!path) {
			pmkb_error("cannot find the user's configuration: neither XDG_CONFIG_HOME nor HOME is set");
			return PMKB_EX_CONFIG;
		}
	} else {
		char *dir = cli_db_dir(ctx);
		if (!dir)
			return cli_no_db_dir();
		path = xasprintf("%s/config", dir);
		free(dir);
	}
	int rc = PMKB_EX_OK;
	if (config_set_file(path, args[0], set ? args[1] : NULL, err, sizeof err) != 0) {
		pmkb_error("cannot write '%s': %s", path, err);
		rc = PMKB_EX_CONFIG;
	}
	free(path);
	return rc;
}
