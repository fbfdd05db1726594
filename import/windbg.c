/* windbg.c - placeholder until the signature issue lands. */
#include "readers.h"
size_t windbg_extract(const char *text, size_t len, int message, pm_case *c) { (void)text; (void)len; (void)message; (void)c; return 0; }
