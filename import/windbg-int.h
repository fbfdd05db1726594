/* windbg-int.h - private to the WinDbg text reader: its state and the
 * helpers that the line readers (windbg-lines.c: what one line of text is,
 * in order) share with the rest of the reader (windbg.c: rows, frames,
 * analyses, the raw text). Not for use outside import/. */
#ifndef PMKB_WINDBG_INT_H
#define PMKB_WINDBG_INT_H

#include "readers.h"
#include "windbg-shapes.h"
#include "../util/util.h"

#include <ctype.h>
#include <stddef.h>

#define MAX_ANALYSES 4096
#define MAX_FRAMES 10000
#define MAX_LINE (1024 * 1024)
#define MAX_MODULES 512
#define MAX_TAGS 256
#define MAX_LOCALS 64
#define MAX_REGS 65536
#define EXPECT_WINDOW 4 /* lines a stack header/prompt waits for its first row */
#define PROSE_LIST_GAP 3 /* prose bugchecks this close together form a list */

static inline int is_hex(int c) { return isxdigit((unsigned char)c); }
static inline int is_alnum_ascii(int c) { return c < 128 && isalnum((unsigned char)c); }

typedef void (*param_cb)(void *ctx, const char *name, size_t nn, const char *val, size_t vn);

enum { ROW_NO, ROW_OK, ROW_PARTIAL };

typedef struct row {
	int has_num;
	unsigned num;
	int naddr;   /* Child-SP/RetAddr/args columns before the call site */
	int colon;   /* kv/kb " : " columns */
	int is_inline;
	char first_arg[24]; /* first argument column (kb/kv), for KeBugCheckEx */
	pm_frame f;
} row;

/* the extraction state */

typedef struct builder {
	pm_analysis a;
	int live;            /* anything recorded */
	int prose_only;      /* only a bugcheck code from prose so far */
	int listy;           /* follows a dropped prose bugcheck: an item of a list */
	long prose_line;
	size_t off0, off1;   /* byte range in the original text */
	char kbx[24];        /* first argument of a KeBugCheckEx row */
	int bucket_rank;     /* where failure_bucket came from: 3 FAILURE_BUCKET_ID, 2 BUCKET_ID/WER, 1 hash string */
	int fatal;           /* the code and arguments came from a live session's "*** Fatal System Error" */
	char fault_off[24];  /* an application crash's fault offset in its faulting module, normalised */
	int own_evidence;    /* made from a line that is evidence by itself: the debugger's exception record, prose blaming a driver for a crash */
} builder;

typedef struct state {
	pm_case *c;
	int message;
	size_t added;
	long lineno;
	builder cur;
	size_t prev_end;   /* end of the last closed analysis: spans never overlap */
	long last_drop_line;
	long last_marker_line;
	size_t last_marker_off;

	/* stack being read */
	int in_stack;
	long stack_expect; /* line of the last header/prompt, or -1 */
	long no_stack_line;/* a row on this line cannot start a stack (.frame output) */
	unsigned next_num;
	int stack_numbered;
	int stk_headed;     /* the stack began with a full kv row right under its header (STACK_TEXT:, k): evidence by itself */
	pm_frame *stk;
	size_t nstk, stk_cap;
	size_t stk_off0, stk_off1;
	char stk_kbx[24];
	sbuf partial;      /* a row cut by a mail client, waiting for its end */
	sbuf wrapped;      /* "...was: 0x00000050 (0x.., 0x..," wrapped: waiting for the rest */
	size_t wrapped_off0;
	int wrapped_code;  /* the line ended with the code: only a "(" line continues it */
	int unwrapping;    /* reading a held line on its own: not held again */
	int stack_cmd_thread; /* the stack being read was asked of another thread (!mex.t ADDR, !thread ADDR, ~Ns k) */
	pm_frame bare;     /* a bare call-site line waiting for a second one */
	long bare_line;    /* its line, 0 when none */
	size_t bare_off0;
	size_t partial_off0;

	/* other block modes */
	int lm_mode;
	int pool_mode;
	int reg_mode;      /* 1 reading registers, 2 after the symbol line */
	int after_frame;   /* the last command was .frame: its registers are a frame's, not a trap's */
	int fip_next;      /* FAULTING_IP (1) / FOLLOWUP_IP (2): the symbol is on the next line */
	int proc_next;     /* the next line is a process-table row */
	int tag_table;     /* inside a !tag / !mex.tag table */
	int args_next;     /* "*** Fatal System Error: 0x..": the arguments are on the next line */
	int caused_next;   /* "Driver at fault:": the driver is on the next line */
	char boot_file[128]; /* a boot loader's "File: \\Windows\\...\\x.sys": the driver, if a status follows */
	long boot_file_line;
	long dotnet_line;  /* the line of the last .NET frame ("   at Ns.Type.Method(...)") */
	size_t boot_file_off0;
	int wer_bsod;      /* inside a WER BlueScreen problem signature ("Code: 3b") */
	/* disassembly a live session printed ("mapDriver!F+0x2d:" over
	 * "fffff880`0327702d cc int 3"): a label and an address under it,
	 * to name the module of a fault address the text shows no symbol for */
	struct { char label[128]; unsigned long long addr; } dis[16];
	size_t ndis;
	char dis_pending[128];
	int dis_line;
	int wer_app;       /* inside a WER problem signature: 1 APPCRASH (P1 application, P4 module, P7 exception, P8 offset), 2 CLR20r3 (P1 application, P4 assembly) */
	int wer_inline;    /* a one-line signature ("EventType clr20r3, P1 x, ...") may go on on the next lines */
	int kp_event;      /* a Kernel-Power event's BugcheckCode was read: its BugcheckParameterN follow */
	int bp_crashed;    /* Breakpad's "Thread N (crashed)": its frame 0 names the faulting module */
	char wer_sig[64];  /* Report.wer: the name of the Sig[N] whose value comes next */
	char pend_label[64]; /* a label alone on its line ("Bug Check Code", "Paramètre 1"): its value comes on one of the next */
	long pend_line;
	int pend_arg;        /* "ArgN:" with its value on one of the next lines: N, else 0 */
	signed char md_role[12]; /* a Markdown table of crashes: the role of each column (enum ws_role) */
	int md_ncols;        /* its columns, 0 when not in one */
	int md_sep;          /* its |---| line was read */
	long exc_line;       /* a line told of an unhandled exception: its module may follow ("Module: x.dll") */
	long name_line;      /* a bugcheck name alone on its line, or the last bare value after it */
	int name_args;          /* the bare values taken after it (its arguments) */
	long pend_arg_line;
	int evt_xml;       /* inside an Application Error event as Event XML */
	int evt_data;      /* its <Data> elements so far (they are positional) */
	int kv_next;       /* KV_*: the next "Value:" line is this key's */
	int numbered;      /* the text's lines carry their numbers ("  1. Error ...", a paste site's copy): the next one, 0 unknown, -1 not */
	long bucket_said;  /* a sentence ended announcing the failure bucket ("The failure bucket is:"): its line */
	sbuf prose_sys;    /* driver files named in prose lines, space separated */
	int sys_screen;    /* a line named one beside the words of a blue screen */
	size_t sys_off0, sys_off1; /* that line */
	char prose_process[128]; /* the process the prose names */
	char prose_blame[72];    /* the driver file prose blames ("caused by x.sys", "culprit: x.sys") */
	size_t blame_off0, blame_off1; /* its line */
	char tag_pending[16];
	sbuf line;         /* the normalised current line */
	sbuf piece;        /* one piece of a joined line, NUL-terminated */
	sbuf unglued;      /* a flattened line with blanks put back before its keys */
} state;

static inline void not_prose_only(builder *b) { b->prose_only = 0; }

enum { KV_NONE, KV_BUCKET, KV_CODE };


void wb_add_listed(char **list, const char *s, size_t n);
void wb_add_local(pm_analysis *a, const char *name, size_t nn, const char *val, size_t vn, const char *comment, size_t cn);
void wb_add_reg_line(builder *b, const char *s, size_t n);
void wb_add_warned(pm_analysis *a, const char *s, size_t n);
int wb_all_hex(const char *s, size_t n);
int wb_bc_header(const char *s, size_t n, size_t *namelen, const char **code, size_t *codelen);
builder *wb_bugcheck_for(state *st, const char *code, size_t n, int with_args, size_t off0, size_t off1);
int wb_code_eq(const builder *b, const char *code, size_t n);
int wb_prose_file_add(state *st, const char *b0, size_t l);
void wb_collect_prose_sys(state *st, const char *s, size_t n, size_t off0, size_t off1);
void wb_collect_prose_blame(state *st, const char *s, size_t n, size_t off0, size_t off1);
void wb_prose_blame_analysis(state *st, const char *text, size_t len);
const char *wb_command(const char *s, size_t n, size_t *cn);
builder *wb_cur(state *st, size_t off0, size_t off1);
void wb_dis_record(state *st, const char *s, size_t n);
char *wb_dup_trim(const char *s, size_t n);
enum ws_role wb_evt_xml_data(state *st, const char *s, size_t n, ws_span *v);
const char *wb_field(const char *s, size_t n, const char *key, size_t *vn);
void wb_finish(state *st);
void wb_frame_free(pm_frame *f);
void wb_handle_command(state *st, const char *c, size_t cn, size_t off0);
void wb_handle_row_line(state *st, const char *s, size_t n, size_t off0, size_t off1, int *done);
size_t wb_hex_code_at(const char **p, const char *end);
int wb_has_lit(const char *s, size_t n, const char *lit);
int wb_ieq_n(const char *a, const char *b, size_t n);
const char *wb_ifind(const char *s, size_t n, const char *needle);
int wb_is_addr(const char *s, size_t n);
int wb_is_stack_header(const char *s, size_t n);
int wb_bugcheck_fn(const char *fn);
int wb_istarts(const char *s, size_t n, const char *p);
pm_module *wb_module_get(pm_analysis *a, const char *name, size_t nn);
int wb_module_name_ok(const char *s, size_t n);
size_t wb_name_core(const char *s);
int wb_next_tok(const char *s, size_t n, size_t *pos, const char **t, size_t *tn);
size_t wb_parse_callsite(const char *s, size_t n, pm_frame *f, param_cb cb, void *ctx);
int wb_parse_row(const char *s, size_t n, row *r, param_cb cb, void *ctx);
int wb_prose_bugcheck(const char *s, size_t n, const char **code, size_t *codelen);
int wb_prose_stop_code(const char *s, size_t n, const char **code, size_t *codelen);
void wb_set_arg(builder *b, int i, const char *v, size_t vn, const char *desc, size_t dn);
int wb_set_args_list(builder *b, const char *p, size_t n);
void wb_set_bucket(builder *b, const char *v, size_t vn, int rank);
void wb_set_code(builder *b, const char *code, size_t n);
void wb_set_once(char **field, const char *s, size_t n);
void wb_stack_add(state *st, row *r, size_t off0, size_t off1);
void wb_stack_commit(state *st);
builder *wb_start_new(state *st, size_t off0, size_t off1);
int wb_starts(const char *s, size_t n, const char *p);
pm_pooltag *wb_tag_get(pm_analysis *a, const char *tag, size_t tn, int front);
int wb_wrapped_code_args(const char *s, size_t n);
void wb_null_param_cb(void *ctx, const char *name, size_t nn, const char *val, size_t vn);

/* Free the frames of the stack being read. */
void wb_stk_clear(state *st);

/* What a labelled value of a summary (role, value) gives the analysis
 * being built (windbg-lines.c); 1 when taken. */
int wb_labelled_value(state *st, enum ws_role role, ws_span lv, size_t off0, size_t off1);

/* One normalised line (windbg-lines.c): classify it and update st. */
void wb_handle_line(state *st, const char *s, size_t n, size_t off0, size_t off1);

#endif
