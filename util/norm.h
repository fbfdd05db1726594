/* norm.h - the one definition of how pmkb normalises what a crash text
 * prints: hex values, bugcheck codes (with the 0x1000xxxx fold) and module
 * names. The readers (import/), the signature, the rules, the store's
 * field terms and the query parser all call these, so one value is spelt
 * one way wherever it is compared. They live in util/, the floor below the
 * readers, because the readers need them as much as the signature does.
 *
 * Every function returns a new string the caller frees, or NULL.
 */
#ifndef PMKB_NORM_H
#define PMKB_NORM_H

#include <stddef.h>

/* s[0..n) as a hex number as WinDbg prints it ("fffff803`496d0000",
 * "0x00000000`000000be", "D1") -> lower-case "0x..." without leading zeros
 * or backticks. NULL when it is not hex or has more than 16 digits. */
char *pm_norm_hex(const char *s, size_t n);

/* A value that is usually hex: blanks and backticks dropped, lower case;
 * "0x..." without leading zeros when what is left is hex (any length),
 * else that text. NULL for NULL or a blank value. */
char *pm_norm_value(const char *v);

/* The code a normalised bugcheck value ("0x1000007e") is raised as when
 * the 0x1000xxxx variant is folded (KeBugCheck2's "_M" codes carry the
 * same four parameters): "0x7e"; NULL when code is not such a variant. */
char *pm_bugcheck_fold(const char *code);

/* A bugcheck code as printed -> its normalised, folded form: "0xD1",
 * "000000d1", "0x00000000100000fc" -> "0xd1", "0xd1", "0xfc". Text that is
 * not hex comes back lower-cased (pm_norm_value). */
char *pm_norm_bugcheck(const char *v);

/* A module name as printed -> its canonical name: the last path
 * component, no "!symbol" or "+offset", lower case, no .sys/.dll/.exe,
 * ASCII punctuation made '_' as WinDbg does ("acme-flt.sys" -> acme_flt),
 * the kernel's and the HAL's file names "nt" and "hal". NULL for NULL. */
char *pm_canon_module(const char *name);

/* A function name as printed -> the name two builds of the same code
 * share: the ordinals a C# compiler numbers its generated members with
 * are dropped ("<>c__DisplayClass64_0.<Launch>b__0" ->
 * "<>c__DisplayClass.<Launch>b__", "<Main>d__12" -> "<Main>d__",
 * "<Run>g__Step|3_0" -> "<Run>g__Step"): they change with any edit of the
 * enclosing type, as an offset does with any edit of a native function.
 * A name without such a member comes back as printed. NULL for NULL. */
char *pm_canon_function(const char *name);

/* The length of a name MSVC quotes at s[0..n), blanks and all, through
 * its closing quote ("`anonymous namespace'", "`vftable'": a '`', a
 * letter, a '\'' within 64 bytes); 0 when s holds none. */
size_t pm_msvc_quoted(const char *s, size_t n);

/* The length of the symbol at the start of s ("nt!KeBugCheckEx+0x0",
 * "x!`anonymous namespace'::send+20a"): up to a blank, a tab or a '('
 * outside the `...' quotes MSVC puts around names with blanks. */
size_t pm_symbol_len(const char *s);

#endif
