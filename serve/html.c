/* html.c - the pages of pmkb serve, rendered on the server: "Have we seen
 * this?" (paste or upload, and the answer), search, a case, the rules.
 * Labels in English and Chinese side by side; no script, no asset from
 * elsewhere (the style is inline; the draft's language switch is two radio
 * buttons and CSS); every value escaped (html_esc). */
#include "html.h"
#include "query.h"
#include "../kb/customer.h"
#include "../matcher/outcome-record.h"
#include "../matcher/suggest.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_HITS 20

void html_esc(sbuf *sb, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_adds(sb, "&amp;"); break;
		case '<': sb_adds(sb, "&lt;"); break;
		case '>': sb_adds(sb, "&gt;"); break;
		case '"': sb_adds(sb, "&quot;"); break;
		case '\'': sb_adds(sb, "&#39;"); break;
		default: sb_addc(sb, *s);
		}
	}
}

/* Percent-encode s for a path segment or query value. */
static void url_enc(sbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p)) {
			sb_addc(sb, (char)*p);
		} else {
			sb_addc(sb, '%');
			sb_addc(sb, hex[*p >> 4]);
			sb_addc(sb, hex[*p & 15]);
		}
	}
}

static void case_link(sbuf *sb, const char *id)
{
	sb_adds(sb, "<a class=\"case\" href=\"/case/");
	url_enc(sb, id);
	sb_adds(sb, "\">");
	html_esc(sb, id);
	sb_adds(sb, "</a>");
}

static const char style[] =
	"body{font:15px/1.5 system-ui,'Segoe UI','Noto Sans CJK SC','WenQuanYi Zen Hei','Microsoft YaHei',sans-serif;"
	"margin:0;color:#1b1f24;background:#f6f7f9}"
	"header{background:#1f3a5f;color:#fff;padding:.6em 1.5em;display:flex;gap:1.5em;align-items:center;flex-wrap:wrap}"
	"header a{color:#fff;text-decoration:none;font-weight:600}header a.brand{font-size:1.2em}"
	"header form{margin-left:auto;display:flex;gap:.4em}header input{width:22em}"
	"main{max-width:72em;margin:1.2em auto;padding:0 1.5em}"
	"h1{font-size:1.5em;margin:.3em 0 .6em}h2{font-size:1.2em;margin:1.2em 0 .4em}h3{font-size:1.05em;margin:.8em 0 .3em}"
	"textarea{width:100%;box-sizing:border-box;font:13px/1.4 ui-monospace,'DejaVu Sans Mono',monospace}"
	"input,button,textarea{padding:.4em;border:1px solid #b8c0cc;border-radius:4px}"
	"button{background:#1f5fa8;color:#fff;border:0;padding:.5em 1.2em;font-weight:600;cursor:pointer}"
	"label{display:block;margin:.7em 0 .3em}label.inline{display:inline}"
	".card{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:.8em 1.1em;margin:.8em 0}"
	".verdict{font-size:1.3em;font-weight:700;padding:.5em .9em;border-radius:6px;display:inline-block}"
	".known{background:#d8f3dc;color:#1b5e20}.similar{background:#fff3cd;color:#7a5a00}.new{background:#e8eaed;color:#37474f}"
	"table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.25em .6em;border-bottom:1px solid #eceff3;vertical-align:top}"
	"th{color:#55606e;font-weight:600;white-space:nowrap}"
	".same{color:#1b5e20}.differs{color:#a0281e}.muted{color:#6b7683}.mono,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px}"
	"pre{white-space:pre-wrap;word-break:break-word;background:#fafbfc;border:1px solid #eceff3;padding:.6em;max-height:30em;overflow:auto}"
	".bar{display:inline-block;height:.7em;background:#1f5fa8;border-radius:2px;vertical-align:middle}"
	".parts span{margin-right:1.2em;white-space:nowrap}.error{background:#fdecea;color:#8a1c12;padding:.7em 1em;border-radius:6px}"
	"ul{margin:.3em 0;padding-left:1.4em}.pager a{margin-right:1em}.zh{color:#55606e}"
	".resolved{color:#1b5e20;font-weight:600}.not-resolved{color:#a0281e;font-weight:600}.unknown{color:#6b7683}"
	".draft{display:none}#draft-zh:checked~.d-zh,#draft-en:checked~.d-en{display:block}"
	".reply p{margin:.1em 0 .4em}.reply input{margin-left:.6em}.reply pre{max-height:none;margin:.4em 0 0}.routed{background:#fff3cd;color:#7a5a00;padding:.6em 1em;border-radius:6px}";

static void page_start(sbuf *sb, const char *title, const char *q)
{
	sb_adds(sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
	html_esc(sb, title);
	sb_adds(sb, " - pmkb</title><style>");
	sb_adds(sb, style);
	sb_adds(sb, "</style></head><body><header><a class=\"brand\" href=\"/\">pmkb</a>"
		    "<a href=\"/\">Have we seen this? <span lang=\"zh\">见过吗？</span></a>"
		    "<a href=\"/rules\">Rules <span lang=\"zh\">规则</span></a>"
		    "<form method=\"get\" action=\"/search\" role=\"search\">"
		    "<input name=\"q\" aria-label=\"search\" placeholder=\"search 搜索: vwifimf, 蓝屏, bugcheck:0xd1\" value=\"");
	html_esc(sb, q);
	sb_adds(sb, "\"><button type=\"submit\">Search 搜索</button></form></header><main>\n");
}

static void page_end(sbuf *sb)
{
	sb_adds(sb, "\n</main></body></html>\n");
}

static void html_ok(srv_resp *resp, int status)
{
	resp->status = status;
	resp->type = "text/html; charset=utf-8";
}

static void error_page(srv_resp *resp, int status, const char *title, const char *msg)
{
	sb_reset(&resp->body);
	page_start(&resp->body, title, NULL);
	sb_adds(&resp->body, "<h1>");
	html_esc(&resp->body, title);
	sb_adds(&resp->body, "</h1><p class=\"error\">");
	html_esc(&resp->body, msg);
	sb_adds(&resp->body, "</p><p><a href=\"/\">Back 返回</a></p>");
	page_end(&resp->body);
	html_ok(resp, status);
}

/* The read handle, or an error page (503 while there is no knowledge
 * base). */
static kb_db *page_db(srv *s, srv_resp *resp)
{
	char err[256] = "";
	kb_db *db = NULL;
	kb_status st = srv_db(s, &db, err, sizeof err);
	if (st == KB_OK)
		return db;
	if (st == KB_NOT_FOUND) {
		resp->retry_after = 10;
		error_page(resp, 503, "No knowledge base yet 还没有知识库",
			   "Import something first (pmkb import PATH, or POST /api/import). 请先导入案例。");
	} else {
		srv_db_drop(s);
		error_page(resp, 500, "Cannot open the knowledge base 无法打开知识库", err);
	}
	return NULL;
}

/* ---- Have we seen this? ---- */

static void home(srv_resp *resp)
{
	sbuf *sb = &resp->body;
	page_start(sb, "Have we seen this?", NULL);
	sb_adds(sb, "<h1>Have we seen this? <span class=\"zh\" lang=\"zh\">这个蓝屏见过吗？</span></h1>"
		    "<div class=\"card\"><form method=\"post\" action=\"/match\" enctype=\"multipart/form-data\">"
		    "<label for=\"text\">Paste <span class=\"mono\">!analyze -v</span> output, a stack or a mail "
		    "<span class=\"zh\" lang=\"zh\">粘贴 !analyze -v 输出、调用栈或邮件</span></label>"
		    "<textarea id=\"text\" name=\"text\" rows=\"14\" spellcheck=\"false\"></textarea>"
		    "<label for=\"file\">or upload a .dmp, .txt or .eml <span class=\"zh\" lang=\"zh\">或上传 .dmp、.txt、.eml 文件</span></label>"
		    "<input type=\"file\" id=\"file\" name=\"file\" accept=\".dmp,.txt,.log,.eml\">"
		    "<p><label class=\"inline\"><input type=\"checkbox\" name=\"use_text\" value=\"1\"> also compare the prose "
		    "<span class=\"zh\" lang=\"zh\">同时比较文字描述</span></label></p>"
		    "<button type=\"submit\" id=\"match\">Match 匹配</button></form></div>");
	sb_adds(sb, "<p class=\"muted\">JSON API: <span class=\"mono\">POST /api/match</span>, "
		    "<span class=\"mono\">GET /api/search?q=</span>, <span class=\"mono\">GET /api/cases/ID</span> (docs/api.md)</p>");
	page_end(sb);
	html_ok(resp, 200);
}

static const char *part_zh(int k)
{
	static const char *zh[SP_N] = {"调用栈", "第三方模块", "内存池标记", "错误码", "故障映像", "文字", "故障地址", "进程"};
	return k >= 0 && k < SP_N ? zh[k] : "";
}

static void render_evidence(sbuf *sb, const match_item *it)
{
	sbuf same = {0}, diff = {0};
	for (size_t e = 0; e < it->evidence.n; e++) {
		const score_ev *ev = &it->evidence.ev[e];
		sbuf *t = ev->matched ? &same : &diff;
		sb_adds(t, "<li><span class=\"muted\">");
		html_esc(t, ev->field);
		sb_adds(t, "</span> <span class=\"mono\">");
		if (ev->matched) {
			html_esc(t, ev->query);
		} else if (ev->query && ev->cand) {
			html_esc(t, ev->query);
			sb_adds(t, "</span> vs <span class=\"mono\">");
			html_esc(t, ev->cand);
		} else if (ev->query) {
			html_esc(t, ev->query);
			sb_adds(t, "</span> <span class=\"muted\">not in the case 案例中没有</span><span>");
		} else {
			html_esc(t, ev->cand);
			sb_adds(t, "</span> <span class=\"muted\">only in the case 仅案例中有</span><span>");
		}
		sb_adds(t, "</span></li>");
	}
	sb_adds(sb, "<table><tr><th class=\"same\">Same 相同</th><th class=\"differs\">Differs 不同</th></tr><tr><td><ul class=\"same\">");
	sb_adds(sb, sb_str(&same));
	sb_adds(sb, "</ul></td><td><ul class=\"differs\">");
	sb_adds(sb, sb_str(&diff));
	sb_adds(sb, "</ul></td></tr></table>");
	sb_free(&same);
	sb_free(&diff);
}

static const char *outcome_zh(outcome_kind k)
{
	return k == OUTCOME_RESOLVED ? "已解决" : k == OUTCOME_NOT_RESOLVED ? "未解决" : "未知";
}

/* One outcome: "resolved 已解决" in its colour. */
static void outcome_span(sbuf *sb, outcome_kind k)
{
	sb_addf(sb, "<span class=\"%s\">%s %s</span>", outcome_name(k), outcome_name(k), outcome_zh(k));
}

/* The outcome record of a result: "resolved in X of Y closed cases". */
static void render_record(sbuf *sb, const outcome_record *o, size_t idx)
{
	if (!o->over)
		return;
	int closed = outcome_record_closed(o);
	sb_addf(sb, "<tr><th>Outcomes 结果</th><td id=\"outcome-%zu\">", idx);
	if (closed)
		sb_addf(sb, "<b>resolved in %d of %d closed case%s</b> <span lang=\"zh\">在 %d 个已结案案例中解决了 %d 个</span>",
			o->resolved, closed, closed == 1 ? "" : "s", closed, o->resolved);
	else
		sb_adds(sb, "no closed case records whether the fix worked <span lang=\"zh\">没有已结案案例记录处理结果</span>");
	if (o->not_resolved)
		sb_addf(sb, "; <span class=\"not-resolved\">not resolved in %d 未解决 %d 个</span>", o->not_resolved,
			o->not_resolved);
	sb_addf(sb, " <span class=\"muted\">(over the %s 统计范围：%s)</span></td></tr>",
		strcmp(o->over, "rule") == 0 ? "rule's cases" : "ranked cases",
		strcmp(o->over, "rule") == 0 ? "规则的案例" : "相关案例");
}

/* The entry of case_id in the record, or NULL. */
static const outcome_entry *record_entry(const outcome_record *o, const char *case_id)
{
	for (size_t i = 0; o && case_id && i < o->n; i++)
		if (strcmp(o->e[i].case_id, case_id) == 0)
			return &o->e[i];
	return NULL;
}

/* The reply to the customer (pmkb suggest): the draft in both languages
 * behind a CSS switch, the input's first, or why an engineer answers. */
static void render_reply(sbuf *sb, const suggest_result *first, const suggest_result *other)
{
	sb_adds(sb, "<h2>Reply to the customer <span class=\"zh\" lang=\"zh\">给客户的回复</span></h2>"
		    "<div class=\"card reply\" id=\"reply\">");
	if (!first->pass) {
		sb_adds(sb, "<p class=\"routed\" id=\"routed\"><b>routed to an engineer</b> "
			    "<span lang=\"zh\">转交工程师处理</span>: no draft for the customer 不生成客户回复</p><ul>");
		for (size_t i = 0; i < first->nchecks; i++) {
			if (first->checks[i].pass)
				continue;
			sb_adds(sb, "<li><span class=\"mono\">");
			html_esc(sb, first->checks[i].name);
			sb_adds(sb, "</span>: ");
			html_esc(sb, first->checks[i].detail);
			sb_adds(sb, "</li>");
		}
		sb_adds(sb, "</ul></div>");
		return;
	}
	const suggest_result *zh = first->lang == SUGGEST_ZH ? first : other;
	const suggest_result *en = first->lang == SUGGEST_EN ? first : other;
	sb_adds(sb, "<p class=\"muted\">Draft from rule <span class=\"mono\">");
	html_esc(sb, first->rule_id ? first->rule_id : "?");
	sb_addf(sb, "</span>; the gate passed (threshold %.2f) · 草稿，所有检查通过</p>"
		    "<input type=\"radio\" name=\"draft-lang\" id=\"draft-zh\"%s>"
		    "<label class=\"inline\" for=\"draft-zh\">中文</label>"
		    "<input type=\"radio\" name=\"draft-lang\" id=\"draft-en\"%s>"
		    "<label class=\"inline\" for=\"draft-en\">English</label>",
		first->threshold, zh == first ? " checked" : "", en == first ? " checked" : "");
	for (int l = 0; l < 2; l++) {
		const suggest_result *d = l == 0 ? zh : en;
		sb_addf(sb, "<div class=\"draft d-%s\" lang=\"%s\" id=\"draft-text-%s\">", l ? "en" : "zh",
			l ? "en" : "zh", l ? "en" : "zh");
		if (d && d->pass && d->draft) {
			sb_adds(sb, "<pre>");
			html_esc(sb, d->draft);
			sb_adds(sb, "</pre>");
		} else {
			sb_adds(sb, "<p class=\"muted\">No draft in this language. 没有此语言的草稿。</p>");
		}
		sb_adds(sb, "</div>");
	}
	sb_adds(sb, "</div>");
}

/* One analysis' answer; the reply to the customer goes with it when
 * first is set (other: the draft in the other language), a failure to
 * draft it when fail_ex is. */
static void render_result(sbuf *sb, const match_result *r, const pm_analysis *a, size_t idx, size_t n,
			  const outcome_record *rec, const int *fail_ex, const suggest_result *first,
			  const suggest_result *other)
{
	static const char *vzh[] = {"新问题", "相似", "已知"};
	pm_signature sig;
	memset(&sig, 0, sizeof sig);
	if (a)
		sig_build(a, &sig, NULL);
	sb_adds(sb, "<section class=\"result\">");
	if (n > 1) {
		sb_addf(sb, "<h2>Analysis %zu of %zu <span class=\"zh\" lang=\"zh\">第 %zu 个分析</span>", idx + 1, n, idx + 1);
		if (a && a->dump_name) {
			sb_adds(sb, " <span class=\"mono\">");
			html_esc(sb, a->dump_name);
			sb_adds(sb, "</span>");
		}
		sb_adds(sb, "</h2>");
	}
	sb_addf(sb, "<p><span class=\"verdict %s\" id=\"verdict-%zu\">%s <span lang=\"zh\">%s</span></span> "
		    "<span class=\"muted\">confidence 置信度 %.2f</span></p>",
		verdict_name(r->v), idx, verdict_name(r->v), vzh[r->v], r->confidence);

	/* the culprit: the faulting image, else the first third-party module on the stack */
	const char *culprit = sig.image;
	for (size_t i = 0; !culprit && i < sig.nframes; i++)
		if (!sig.frames[i].skip && sig.frames[i].third_party && sig.frames[i].module)
			culprit = sig.frames[i].module;
	sb_adds(sb, "<div class=\"card\"><table>");
	if (r->rule) {
		sb_adds(sb, "<tr><th>Cause 原因</th><td><b>");
		html_esc(sb, r->rule->title);
		sb_adds(sb, "</b> <span class=\"muted mono\">[rule ");
		html_esc(sb, r->rule->id);
		sb_adds(sb, "]</span></td></tr>");
	}
	if (culprit) {
		sb_adds(sb, "<tr><th>Culprit 肇事模块</th><td class=\"mono\">");
		html_esc(sb, culprit);
		sb_adds(sb, "</td></tr>");
	}
	sb_adds(sb, "<tr><th>Your analysis 你的分析</th><td>");
	if (sig.bugcheck) {
		sb_adds(sb, "bugcheck <span class=\"mono\">");
		html_esc(sb, sig.bugcheck);
		sb_adds(sb, "</span> ");
		html_esc(sb, sig.bugcheck_name);
		sb_adds(sb, "<br>");
	}
	sb_adds(sb, "<span class=\"mono\">");
	html_esc(sb, sig.text && *sig.text ? sig.text : "(no structured signature: prose only 仅文字)");
	sb_adds(sb, "</span></td></tr>");
	if (r->rule && (r->rule->steps_zh || r->rule->steps_en)) {
		sb_adds(sb, "<tr><th>Next steps 下一步</th><td>");
		if (r->rule->steps_zh) {
			sb_adds(sb, "<p lang=\"zh\">");
			html_esc(sb, r->rule->steps_zh);
			sb_adds(sb, "</p>");
		}
		if (r->rule->steps_en) {
			sb_adds(sb, "<p>");
			html_esc(sb, r->rule->steps_en);
			sb_adds(sb, "</p>");
		}
		sb_adds(sb, "</td></tr>");
	}
	if (r->rule) {
		sb_adds(sb, "<tr><th>Rule conditions 规则条件</th><td><ul>");
		for (size_t i = 0; i < r->rule->nconds; i++) {
			int hit = r->rule_res.hit && r->rule_res.hit[i];
			sb_addf(sb, "<li class=\"%s\">%s <span class=\"mono\">", hit ? "same" : "differs", hit ? "&#10003;" : "&#10007;");
			html_esc(sb, hit && r->rule_res.what && r->rule_res.what[i] ? r->rule_res.what[i] : r->rule->conds[i].src);
			sb_adds(sb, "</span></li>");
		}
		sb_adds(sb, "</ul></td></tr>");
	}
	render_record(sb, rec, idx);
	sb_adds(sb, "</table></div>");
	if (first)
		render_reply(sb, first, other);
	else if (fail_ex)
		sb_addf(sb, "<p class=\"error\">Cannot draft a reply to the customer (exit %d; see the "
			    "server's log). 无法生成客户回复。</p>", *fail_ex);

	if (r->n == 0)
		sb_adds(sb, "<p class=\"muted\">No stored case shares this signature. 知识库中没有相同特征的案例。</p>");
	else
		sb_adds(sb, "<h2>Ranked cases <span class=\"zh\" lang=\"zh\">相关案例</span></h2>");
	for (size_t i = 0; i < r->n; i++) {
		const match_item *it = &r->items[i];
		sb_addf(sb, "<div class=\"card match\"><h3>%zu. ", i + 1);
		case_link(sb, it->case_id);
		sb_addf(sb, " <span class=\"muted\">score 得分 %.2f · similarity 相似度 %.2f", it->score, it->similarity);
		if (it->customer) {
			sb_adds(sb, " · ");
			html_esc(sb, it->customer);
		}
		if (it->date)
			sb_addf(sb, " · %.10s", it->date);
		if (it->rule) {
			sb_adds(sb, " · rule ");
			html_esc(sb, it->rule->id);
		}
		sb_adds(sb, "</span></h3><p>");
		html_esc(sb, it->title);
		if (it->analysis >= 0)
			sb_addf(sb, " <span class=\"muted\">· matched analysis 匹配的分析 [%d]</span>", it->analysis + 1);
		sb_adds(sb, "</p>");
		if (it->analysis < 0 && it->rule) {
			sb_adds(sb, "<p class=\"muted\">Named by the rule; no stored analysis of it shows the signature. 由规则指明。</p>");
		} else {
			sb_adds(sb, "<p class=\"parts\">");
			for (int k = 0; k < SP_N; k++) {
				if (!it->parts.present[k])
					continue;
				sb_addf(sb, "<span>%s %s <span class=\"bar\" style=\"width:%dpx\"></span> %.2f</span>",
					score_part_name((score_part)k), part_zh(k), (int)(it->parts.part[k] * 60 + 0.5),
					it->parts.part[k]);
			}
			sb_adds(sb, "</p>");
			render_evidence(sb, it);
		}
		if (it->nnext_steps) {
			sb_adds(sb, "<p><b>Case next steps 案例下一步</b></p><ul>");
			for (size_t k = 0; k < it->nnext_steps; k++) {
				sb_adds(sb, "<li>");
				html_esc(sb, it->next_steps[k]);
				sb_adds(sb, "</li>");
			}
			sb_adds(sb, "</ul>");
		}
		const outcome_entry *oe = record_entry(rec, it->case_id);
		if (oe) {
			sb_adds(sb, "<p class=\"case-outcome\"><b>Outcome of its next steps 处理结果</b> ");
			outcome_span(sb, oe->outcome);
			if (oe->manual)
				sb_adds(sb, " <span class=\"muted\">(set by an engineer 工程师确认)</span>");
			if (oe->remediation) {
				sb_adds(sb, " <span class=\"muted\">· remediation 处理方法:</span> ");
				html_esc(sb, oe->remediation);
			}
			sb_adds(sb, "</p>");
		}
		if (it->conclusion) {
			sb_adds(sb, "<p><b>Outcome 结论</b> ");
			html_esc(sb, it->conclusion);
			sb_adds(sb, "</p>");
		}
		sb_adds(sb, "</div>");
	}
	sb_adds(sb, "</section>");
	sig_clear(&sig);
}

static void match_page(srv *s, srv_req *r, srv_resp *resp)
{
	const sbuf *in = r->f_file.len ? &r->f_file : &r->f_text;
	if (in->len == 0 || (in == &r->f_text && r->f_text.buf[strspn(r->f_text.buf, " \t\r\n")] == '\0')) {
		error_page(resp, 400, "Nothing to match 没有内容",
			   "Paste an analysis or choose a file. 请粘贴分析内容或选择文件。");
		return;
	}
	int use_text = r->f_use_text && strcmp(r->f_use_text, "1") == 0;
	pm_case *q = NULL;
	char *text = NULL, err[256] = "";
	char *name = in == &r->f_file ? srv_safe_name(r->f_filename) : NULL;
	int ex = srv_read_query(in->buf, in->len, name, &q, &text, err, sizeof err);
	free(name);
	if (ex) {
		char *m = xasprintf("%s: %s", in == &r->f_file && r->f_filename ? r->f_filename : "the paste", err);
		error_page(resp, srv_status_of_exit(ex), "Cannot read it 无法读取", m);
		free(m);
		return;
	}
	if (q->nanalyses == 0 && !(use_text && text && *str_trim(text))) {
		error_page(resp, 422, "No dump analysis found 未找到分析",
			   "Give !analyze -v output, a kc/k stack or a .dmp; or tick 'also compare the prose'. "
			   "请提供 !analyze -v 输出、调用栈或 .dmp 文件，或勾选“同时比较文字描述”。");
		pm_case_free(q);
		free(text);
		return;
	}
	kb_db *db = page_db(s, resp);
	match_result *res = NULL;
	size_t nres = 0;
	kb_status st = db ? srv_match(s, db, q, text, 5, use_text, &res, &nres) : KB_OK;
	if (db && st != KB_OK) {
		error_page(resp, st == KB_LOCKED ? 503 : 500, "Cannot match 无法匹配", kb_last_error(db));
		if (st != KB_LOCKED)
			srv_db_drop(s);
	} else if (db) {
		sbuf *sb = &resp->body;
		page_start(sb, "Answer", NULL);
		sb_adds(sb, "<h1>Have we seen this? <span class=\"zh\" lang=\"zh\">见过吗？</span></h1><p class=\"muted\">");
		if (in == &r->f_file) {
			sb_adds(sb, "file 文件 <span class=\"mono\">");
			html_esc(sb, r->f_filename ? r->f_filename : "(upload)");
			sb_adds(sb, "</span>, ");
		}
		sb_addf(sb, "analyses found 找到的分析: %zu · <a href=\"/\">another 再查一个</a></p>", q->nanalyses);
		/* the reply pmkb suggest would draft, in the input's language
		 * and the other one */
		suggest_result first, other;
		memset(&other, 0, sizeof other);
		int sx = srv_suggest(s, db, q, text, NULL, &first);
		if (!sx && first.pass)
			sx = srv_suggest(s, db, q, text, first.lang == SUGGEST_ZH ? "en" : "zh", &other);
		/* it answers for the analysis pmkb is surest of (as pmkb
		 * suggest and match --json pick it): shown with that one */
		size_t best = 0;
		for (size_t i = 1; i < nres; i++)
			if (res[i].v > res[best].v ||
			    (res[i].v == res[best].v && res[i].confidence > res[best].confidence))
				best = i;
		for (size_t i = 0; i < nres; i++) {
			outcome_record rec;
			memset(&rec, 0, sizeof rec);
			if (outcome_record_of_match(db, &res[i], &rec) != KB_OK)
				sb_addf(sb, "<p class=\"error\">Cannot read the outcomes 无法读取处理结果: %s</p>",
					kb_last_error(db));
			render_result(sb, &res[i], q->nanalyses ? &q->analyses[i] : NULL, i, nres, &rec,
				      i != best ? NULL : sx ? &sx : NULL, i == best && !sx ? &first : NULL, &other);
			outcome_record_clear(&rec);
		}
		suggest_result_clear(&first);
		suggest_result_clear(&other);
		page_end(sb);
		html_ok(resp, 200);
		srv_results_free(res, nres);
	}
	pm_case_free(q);
	free(text);
}

/* ---- search ---- */

static void search_page(srv *s, srv_req *r, srv_resp *resp)
{
	const char *q = srv_arg(r, "q");
	const char *pg = srv_arg(r, "page");
	long page = pg ? strtol(pg, NULL, 10) : 1;
	if (page < 1 || page > 10000)
		page = 1;
	if (!q || q[strspn(q, " \t\r\n")] == '\0' || !utf8_valid(q, strlen(q))) {
		error_page(resp, 400, "Search 搜索", "Type words to search for (Chinese too), or fields: "
			   "case: customer: bugcheck: module: frame: pooltag: process:");
		return;
	}
	kb_db *db = page_db(s, resp);
	if (!db)
		return;
	kb_hits *h = NULL;
	kb_status st = kb_search(db, q, (size_t)(page - 1) * PAGE_HITS, PAGE_HITS, &h);
	if (st == KB_BAD_QUERY) {
		error_page(resp, 400, "Bad query 查询有误", kb_last_error(db));
		return;
	}
	if (st != KB_OK) {
		error_page(resp, 500, "Search failed 搜索失败", kb_last_error(db));
		srv_db_drop(s);
		return;
	}
	sbuf *sb = &resp->body;
	page_start(sb, q, q);
	sb_adds(sb, "<h1>Search 搜索: <span class=\"mono\">");
	html_esc(sb, q);
	sb_addf(sb, "</span></h1><p class=\"muted\" id=\"count\">about %zu cases 约 %zu 个案例 · page 第 %ld 页</p>",
		h->estimated, h->estimated, page);
	if (h->n) {
		sb_adds(sb, "<table class=\"hits\"><tr><th>Case 案例</th><th>Date 日期</th><th>Customer 客户</th><th>Title 标题</th></tr>");
		for (size_t i = 0; i < h->n; i++) {
			const kb_hit *x = &h->hits[i];
			sb_adds(sb, "<tr><td>");
			case_link(sb, x->case_id);
			sb_addf(sb, "</td><td>%.10s</td><td>", x->date ? x->date : "");
			html_esc(sb, x->customer);
			sb_adds(sb, "</td><td>");
			html_esc(sb, x->title);
			if (x->conclusion) {
				sb_adds(sb, "<br><span class=\"muted\">");
				html_esc(sb, x->conclusion);
				sb_adds(sb, "</span>");
			}
			sb_adds(sb, "</td></tr>");
		}
		sb_adds(sb, "</table>");
	} else {
		sb_adds(sb, "<p>No case matched. 没有匹配的案例。</p>");
	}
	sb_adds(sb, "<p class=\"pager\">");
	if (page > 1) {
		sb_adds(sb, "<a rel=\"prev\" href=\"/search?q=");
		url_enc(sb, q);
		sb_addf(sb, "&amp;page=%ld\">&larr; previous 上一页</a>", page - 1);
	}
	if ((size_t)page * PAGE_HITS < h->estimated && h->n == PAGE_HITS) {
		sb_adds(sb, "<a rel=\"next\" href=\"/search?q=");
		url_enc(sb, q);
		sb_addf(sb, "&amp;page=%ld\">next 下一页 &rarr;</a>", page + 1);
	}
	sb_adds(sb, "</p>");
	page_end(sb);
	html_ok(resp, 200);
	kb_hits_free(h);
}

/* ---- a case ---- */

static void notes_of(sbuf *sb, const pm_case *c, const char *kind, const char *title)
{
	int any = 0;
	for (size_t i = 0; i < c->nnotes; i++) {
		if (!c->notes[i].kind || strcmp(c->notes[i].kind, kind) != 0)
			continue;
		if (!any)
			sb_addf(sb, "<h2>%s</h2><ul>", title);
		any = 1;
		sb_adds(sb, "<li>");
		html_esc(sb, c->notes[i].text);
		sb_addf(sb, " <span class=\"muted\">(message %d)</span></li>", c->notes[i].message + 1);
	}
	if (any)
		sb_adds(sb, "</ul>");
}

static void row(sbuf *sb, const char *label, const char *v)
{
	if (!v || !*v)
		return;
	sb_addf(sb, "<tr><th>%s</th><td>", label);
	html_esc(sb, v);
	sb_adds(sb, "</td></tr>");
}

/* The outcome of analysis i (-1: the case as a whole): did its
 * remediation work (pmkb outcome, or the closing summary at import). */
static void case_outcome(sbuf *sb, const kb_outcome *o, size_t i)
{
	if (i == (size_t)-1)
		sb_adds(sb, "<p class=\"case-outcome\" id=\"outcome-case\"><b>Outcome of the case 处理结果</b> ");
	else
		sb_addf(sb, "<p class=\"case-outcome\" id=\"outcome-%zu\"><b>Outcome 处理结果</b> ", i);
	outcome_span(sb, o->outcome);
	sb_adds(sb, " <span class=\"muted\">(");
	if (o->source && strcmp(o->source, "manual") == 0) {
		sb_adds(sb, "set by an engineer 工程师确认");
		if (o->set_at) {
			sb_adds(sb, " ");
			html_esc(sb, o->set_at);
		}
	} else {
		sb_adds(sb, "read from the thread at import 导入时从邮件读取");
	}
	sb_adds(sb, ")</span>");
	if (o->remediation) {
		sb_adds(sb, "<br>remediation 处理方法: ");
		html_esc(sb, o->remediation);
	}
	if (o->note) {
		sb_adds(sb, "<br>note 备注: ");
		html_esc(sb, o->note);
	}
	sb_adds(sb, "</p>");
}

static void case_page(srv *s, const char *id, srv_resp *resp)
{
	kb_db *db = page_db(s, resp);
	if (!db)
		return;
	pm_case *c = NULL;
	kb_status st = kb_get_case(db, id, &c);
	if (st == KB_NOT_FOUND) {
		char *m = xasprintf("No case '%s' in the knowledge base. 知识库中没有这个案例。", id);
		error_page(resp, 404, "No such case 没有这个案例", m);
		free(m);
		return;
	}
	if (st != KB_OK) {
		error_page(resp, 500, "Cannot read the case 无法读取案例", kb_last_error(db));
		srv_db_drop(s);
		return;
	}
	pm_signature *sigs = NULL;
	size_t nsigs = 0;
	if (kb_get_signatures(db, id, &sigs, &nsigs) != KB_OK)
		nsigs = 0;
	kb_outcome *outs = NULL;
	size_t nouts = 0;
	if (kb_outcome_get(db, id, &outs, &nouts) != KB_OK)
		nouts = 0;
	sbuf *sb = &resp->body;
	page_start(sb, c->id, NULL);
	sb_adds(sb, "<h1><span class=\"mono\">");
	html_esc(sb, c->id);
	sb_adds(sb, "</span> ");
	html_esc(sb, c->title);
	sb_adds(sb, "</h1><div class=\"card\"><table>");
	row(sb, "Customer 客户", c->customer);
	row(sb, "Priority 优先级", c->priority);
	row(sb, "Status 状态", c->status);
	row(sb, "First 首次", c->first_date);
	row(sb, "Last 最近", c->last_date);
	row(sb, "References 关联", c->refs);
	if (c->redactions)
		sb_addf(sb, "<tr><th>Redacted 已脱敏</th><td>%d personal data items</td></tr>", c->redactions);
	sb_adds(sb, "</table></div>");
	notes_of(sb, c, PM_NOTE_CONCLUSION, "Conclusions 结论");
	notes_of(sb, c, PM_NOTE_NEXT_STEP, "Next steps 下一步");
	if (c->nanalyses)
		sb_addf(sb, "<h2>Analyses 分析 (%zu)</h2>", c->nanalyses);
	for (size_t i = 0; i < c->nanalyses; i++) {
		const pm_analysis *a = &c->analyses[i];
		sb_addf(sb, "<div class=\"card analysis\"><h3>[%zu] ", i + 1);
		html_esc(sb, a->bugcheck_code ? a->bugcheck_code : "?");
		sb_adds(sb, " ");
		html_esc(sb, a->bugcheck_name);
		if (a->dump_name) {
			sb_adds(sb, " <span class=\"mono muted\">");
			html_esc(sb, a->dump_name);
			sb_adds(sb, "</span>");
		}
		if (a->message >= 0)
			sb_addf(sb, " <span class=\"muted\">(message %d)</span>", a->message + 1);
		sb_adds(sb, "</h3>");
		if (i < nsigs && sigs[i].text && *sigs[i].text) {
			sb_adds(sb, "<p>signature 特征 <span class=\"mono\">");
			html_esc(sb, sigs[i].text);
			sb_adds(sb, "</span></p>");
		}
		for (size_t k = 0; k < nouts; k++)
			if (outs[k].analysis == (int)i)
				case_outcome(sb, &outs[k], i);
		if (a->nframes) {
			sb_adds(sb, "<pre>");
			for (size_t j = 0; j < a->nframes && j < 16; j++) {
				const pm_frame *f = &a->frames[j];
				if (f->module) {
					html_esc(sb, f->module);
					if (f->function) {
						sb_addc(sb, '!');
						html_esc(sb, f->function);
					}
					if (f->offset) {
						sb_addc(sb, '+');
						html_esc(sb, f->offset);
					}
				} else {
					html_esc(sb, f->address ? f->address : "?");
				}
				sb_addc(sb, '\n');
			}
			if (a->nframes > 16)
				sb_addf(sb, "... %zu more frames\n", a->nframes - 16);
			sb_adds(sb, "</pre>");
		}
		sb_adds(sb, "</div>");
	}
	for (size_t k = 0; k < nouts; k++)
		if (outs[k].analysis < 0)
			case_outcome(sb, &outs[k], (size_t)-1);
	sb_addf(sb, "<h2>Messages 邮件 (%zu)</h2>", c->nmessages);
	for (size_t i = 0; i < c->nmessages; i++) {
		const pm_message *m = &c->messages[i];
		sb_addf(sb, "<div class=\"card message\"><h3>%zu. ", i + 1);
		html_esc(sb, m->sender ? m->sender : "?");
		sb_adds(sb, " <span class=\"muted\">");
		html_esc(sb, m->sent);
		sb_adds(sb, "</span></h3><pre>");
		html_esc(sb, m->body);
		sb_adds(sb, "</pre></div>");
	}
	page_end(sb);
	html_ok(resp, 200);
	kb_signatures_free(sigs, nsigs);
	kb_outcomes_free(outs, nouts);
	pm_case_free(c);
}

/* ---- rules ---- */

/* Which stored cases each rule fires on: every stored signature is read,
 * about 1.5 s at 10k cases, so the answer is kept for CAUGHT_TTL seconds
 * and shared by every worker. */
#define CAUGHT_TTL 300

typedef struct caught_set {
	const ruleset *rs;
	char ***ids;    /* per rule: distinct case ids it fires on */
	size_t *n, *cap;
	size_t nrules;
	time_t at;
} caught_set;

static pthread_mutex_t caught_lock = PTHREAD_MUTEX_INITIALIZER;
static caught_set caught;

static void caught_free(caught_set *t)
{
	for (size_t i = 0; i < t->nrules; i++) {
		for (size_t k = 0; k < t->n[i]; k++)
			free(t->ids[i][k]);
		free(t->ids[i]);
	}
	free(t->ids);
	free(t->n);
	free(t->cap);
	memset(t, 0, sizeof *t);
}

void html_cleanup(void)
{
	pthread_mutex_lock(&caught_lock);
	caught_free(&caught);
	pthread_mutex_unlock(&caught_lock);
}

static int catch_one(void *vctx, const char *case_id, int idx, const pm_signature *sig)
{
	(void)idx;
	caught_set *t = vctx;
	for (size_t i = 0; i < t->rs->n; i++) {
		if (!rule_fires(&t->rs->rules[i], sig))
			continue;
		if (t->n[i] && strcmp(t->ids[i][t->n[i] - 1], case_id) == 0)
			continue; /* signatures come case by case */
		XGROW(t->ids[i], t->cap[i], t->n[i] + 1);
		t->ids[i][t->n[i]++] = xstrdup(case_id);
	}
	return 0;
}

static void rules_page(srv *s, srv_resp *resp)
{
	kb_db *db = page_db(s, resp);
	if (!db)
		return;
	const ruleset *rs = s->rules;
	pthread_mutex_lock(&caught_lock);
	time_t now = time(NULL);
	if (!caught.ids || now - caught.at > CAUGHT_TTL || now < caught.at) {
		caught_set t = {rs, xcalloc(rs->n + 1, sizeof(char **)), xcalloc(rs->n + 1, sizeof(size_t)),
				xcalloc(rs->n + 1, sizeof(size_t)), rs->n, now};
		kb_status st = kb_foreach_signature(db, catch_one, &t);
		if (st != KB_OK) {
			caught_free(&t);
			pthread_mutex_unlock(&caught_lock);
			error_page(resp, 500, "Cannot read the analyses 无法读取分析", kb_last_error(db));
			srv_db_drop(s);
			return;
		}
		caught_free(&caught);
		caught = t;
	}
	sbuf *sb = &resp->body;
	page_start(sb, "Rules", NULL);
	sb_addf(sb, "<h1>Rules <span class=\"zh\" lang=\"zh\">已知特征规则</span> (%zu)</h1>"
		    "<p class=\"muted\">Each rule names a known root cause; a query it fires on is <b>known</b>. "
		    "<span lang=\"zh\">规则命中即判定为已知问题。</span> Stored cases caught: as of %ld s ago.</p>",
		rs->n, (long)(now - caught.at));
	for (size_t i = 0; i < rs->n; i++) {
		const rule *ru = &rs->rules[i];
		sb_adds(sb, "<div class=\"card rule\" id=\"");
		html_esc(sb, ru->id);
		sb_adds(sb, "\"><h3><span class=\"mono\">");
		html_esc(sb, ru->id);
		sb_adds(sb, "</span> ");
		html_esc(sb, ru->title);
		sb_adds(sb, "</h3><pre>");
		for (size_t k = 0; k < ru->nconds; k++) {
			html_esc(sb, ru->conds[k].src);
			sb_addf(sb, "    [weight %g%s]\n", ru->conds[k].weight, ru->conds[k].required ? ", required" : "");
		}
		sb_addf(sb, "threshold %g", ru->threshold);
		if (ru->frame_top)
			sb_addf(sb, "; frame.top = %d", ru->frame_top);
		sb_adds(sb, "</pre>");
		if (ru->steps_zh || ru->steps_en) {
			sb_adds(sb, "<p><b>Next steps 下一步</b> ");
			html_esc(sb, ru->steps_zh);
			if (ru->steps_zh && ru->steps_en)
				sb_adds(sb, "<br>");
			html_esc(sb, ru->steps_en);
			sb_adds(sb, "</p>");
		}
		sb_adds(sb, "<p><b>Came from 来源案例</b> ");
		for (size_t k = 0; k < ru->ncases; k++) {
			if (k)
				sb_adds(sb, ", ");
			case_link(sb, ru->cases[k]);
		}
		sb_addf(sb, "</p><p><b>Catches 命中的已存案例</b> (%zu) ", caught.n[i]);
		for (size_t k = 0; k < caught.n[i]; k++) {
			if (k == 50) {
				sb_addf(sb, " ... and %zu more", caught.n[i] - 50);
				break;
			}
			if (k)
				sb_adds(sb, ", ");
			case_link(sb, caught.ids[i][k]);
		}
		if (!caught.n[i])
			sb_adds(sb, "<span class=\"muted\">none stored 无</span>");
		sb_adds(sb, "</p></div>");
	}
	pthread_mutex_unlock(&caught_lock);
	page_end(sb);
	html_ok(resp, 200);
}

void html_handle(srv *s, srv_req *r, srv_resp *resp)
{
	const char *p = r->path;
	int post = strcmp(r->method, "POST") == 0;
	if (strcmp(p, "/") == 0 && !post)
		home(resp);
	else if (strcmp(p, "/match") == 0 && post)
		match_page(s, r, resp);
	else if (strcmp(p, "/search") == 0 && !post)
		search_page(s, r, resp);
	else if (str_starts(p, "/case/") && p[6] && !post)
		case_page(s, p + 6, resp);
	else if (strcmp(p, "/rules") == 0 && !post)
		rules_page(s, resp);
	else if (strcmp(p, "/favicon.ico") == 0)
		resp->status = 204; /* no icon: nothing to fetch, nothing logged as missing */
	else if (strcmp(p, "/match") == 0)
		error_page(resp, 405, "Use the form 请使用表单", "Paste or upload on the first page.");
	else
		error_page(resp, 404, "Not found 未找到", "No such page.");
}
