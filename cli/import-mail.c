/* import-mail.c - placeholder until the mail import issue lands. */
#include "cli.h"

int import_mail(kb_db *db, const char *source, const char *format, const char *search,
		import_report *rep)
{
	(void)db; (void)format; (void)search; (void)rep;
	pmkb_error("cannot import '%s': mail import is not built yet", source);
	return PMKB_EX_SOFTWARE;
}

const char *import_mail_detect(const char *path)
{
	(void)path;
	return NULL;
}
