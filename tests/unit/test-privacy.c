/* test-privacy.c - unit tests of matcher/privacy.c and the drafts of
 * matcher/suggest.c: the outgoing check finds every personal datum planted
 * in the seed threads (tests/data/seeds/README.md lists them) and every
 * case id, sender and customer of them; it passes every draft the shipped
 * rules can make, in both languages; and it does not fire on what replies
 * legitimately hold (hex codes, driver files, KB numbers, paths). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../import/readers.h"
#include "../../matcher/privacy.h"
#include "../../matcher/suggest.h"
#include "testdata.h"

static const char *const seeds[] = {
	"tests/data/seeds/000_e3b3544fec26024b.txt", "tests/data/seeds/001_a48089f2710e0f3a.txt",
	"tests/data/seeds/002_413591d54dd1d178.txt", "tests/data/seeds/003_25707b60ca074d00.txt",
	"tests/data/seeds/004_f83e32c4bf43c7da.txt",
};

/* Does the check flag a text that holds exactly datum (with words around)? */
static void flags(const char *datum, const char *kind, const privacy_opts *o)
{
	char *text = xasprintf("请您参考：%s 谢谢。", datum);
	sbuf why = {0};
	int n = privacy_check(text, o, &why);
	if (n == 0 || !strstr(sb_str(&why), kind))
		fail_msg("'%s' not flagged as %s (got: %s)", datum, kind, sb_str(&why));
	/* the report never holds the datum whole */
	if (strlen(datum) > 8 && strstr(sb_str(&why), datum))
		fail_msg("the report copies '%s'", datum);
	sb_free(&why);
	free(text);
}

static void clean(const char *text, const privacy_opts *o)
{
	sbuf why = {0};
	if (privacy_check(text, o, &why) != 0)
		fail_msg("'%s' flagged: %s", text, sb_str(&why));
	sb_free(&why);
}

/* The data the seed README lists as planted, each of its kind. */
static void test_planted(void **state)
{
	(void)state;
	static const struct {
		const char *datum, *kind;
	} planted[] = {
		{"13812340001", "phone number"}, {"13812340002", "phone number"},
		{"110105199001011232", "ID number"}, {"+86 (510) 55501234", "phone number"},
		{"0756-5550123", "phone number"}, {"engineer-b@microsoft.com", "e-mail address"},
		{"user-a@sdc.icbc.com.cn", "e-mail address"}, {"13812340003", "phone number"},
		{"310115198505052340", "ID number"}, {"13812340004", "phone number"},
		{"engineer-c@cmgos.com", "e-mail address"}, {"密码：Xq7pass2023", "password"},
		{"win10sup@sdc.icbc.com.cn", "e-mail address"}, {"4008180055", "phone number"},
		{"CAS-02698-C5V4N5", "case id"}, {"CMIT:0001362", "case id"},
		{"REG:120081126000849", "case id"}, {"https://cduc.cmgos.com/", "URL"},
		{"cduc.cmgos.com", "host name"}, {"\\\\fileserver01\\dumps", "machine name"},
		{"DESKTOP-7QK2M1B", "machine name"}, {"10.20.30.40", "IP address"},
		{"11010519900101123X", "ID number"},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(planted); i++)
		flags(planted[i].datum, planted[i].kind, NULL);
}

/* Every seed thread, as stored after import (redacted), still trips the
 * check: it names people, case numbers or the functional mailbox; and
 * each sender, customer and case id of a seed is found in a text that
 * names it, given the names the knowledge base would hold. */
static void test_seeds(void **state)
{
	(void)state;
	for (size_t s = 0; s < PMKB_ARRAY_LEN(seeds); s++) {
		size_t len = 0;
		char *buf = test_load(seeds[s], &len);
		pm_case *c = NULL;
		char err[256];
		assert_int_equal(thread_read(seeds[s], buf, len, &c, err, sizeof err), 0);
		const char *names[64];
		size_t nn = 0;
		for (size_t m = 0; m < c->nmessages && nn < 60; m++)
			if (c->messages[m].sender && !strchr(c->messages[m].sender, '@'))
				names[nn++] = c->messages[m].sender;
		if (c->customer)
			names[nn++] = c->customer;
		privacy_opts o = {names, nn, NULL, 0};
		/* the raw thread and every stored body with a sender's name in it */
		assert_true(privacy_check(buf, &o, NULL) > 0);
		for (size_t k = 0; k < nn; k++)
			flags(names[k], "name", &o);
		if (c->id && strncmp(c->id, "CAS-", 4) == 0)
			flags(c->id, "case id", NULL);
		pm_case_free(c);
		free(buf);
	}
}

static void test_no_false_alarms(void **state)
{
	(void)state;
	const char *names[] = {"Li Qi", "ICBC"};
	privacy_opts o = {names, 2, NULL, 0};
	clean("The upgrade rolls back with error 0xC1900101-0x40017 (bugcheck 0x000000D1).", &o);
	clean("Uninstall vwifimf.sys and nwifi.sys; install KB4559003 or KB 4559003.", &o);
	clean("Send C:\\Windows\\MEMORY.DMP and the time: 2022-04-25 15:42.", &o);
	clean("Update Npcap to 1.79 and HwUsbClient to 2.0.1.8; Windows 10 build 19041.", &o);
	clean("Link quality and licensing: nothing about Li or Qi alone.", &o);
	/* allowed hosts: a public site the team names */
	const char *allow[] = {"microsoft.com"};
	privacy_opts o2 = {NULL, 0, allow, 1};
	clean("See https://learn.microsoft.com/windows-hardware/drivers/devtest/driver-verifier .", &o2);
	flags("https://intranet.corp.example.com/kb/1", "URL", &o2);
}

/* Every draft the shipped rules can make, in both languages, with the
 * built-in templates, passes the check, given every sender and customer
 * of the seed threads as names. */
static void test_shipped_drafts(void **state)
{
	(void)state;
	suggest_templates t;
	char err[256];
	assert_int_equal(suggest_templates_load(NULL, &t, err, sizeof err), 0);
	const char *names[256];
	size_t nn = 0;
	pm_case *cs[PMKB_ARRAY_LEN(seeds)];
	for (size_t s = 0; s < PMKB_ARRAY_LEN(seeds); s++) {
		size_t len = 0;
		char *buf = test_load(seeds[s], &len);
		assert_int_equal(thread_read(seeds[s], buf, len, &cs[s], err, sizeof err), 0);
		free(buf);
		for (size_t m = 0; m < cs[s]->nmessages && nn < 250; m++)
			if (cs[s]->messages[m].sender)
				names[nn++] = cs[s]->messages[m].sender;
		if (cs[s]->customer)
			names[nn++] = cs[s]->customer;
	}
	privacy_opts po = {names, nn, NULL, 0};
	ruleset *rs = rules_builtin();
	int drafts = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const rule *ru = &rs->rules[i];
		for (int l = 0; l < 2; l++) {
			match_result m;
			memset(&m, 0, sizeof m);
			m.v = VERDICT_KNOWN;
			m.confidence = 0.97;
			m.rule = ru;
			outcome_record rec;
			memset(&rec, 0, sizeof rec);
			rec.resolved = 3;
			rec.not_resolved = 1;
			rec.over = "rule";
			suggest_in in = {&m, &rec, l ? SUGGEST_EN : SUGGEST_ZH, 0.9, &t, &po};
			suggest_result r;
			suggest_build(&in, &r);
			if (!r.pass) {
				sbuf sb = {0};
				suggest_text(&r, &sb);
				fail_msg("rule %s (%s): %s", ru->id, l ? "en" : "zh", sb_str(&sb));
			}
			/* the outcome sentence and the rule's own text are in it */
			assert_non_null(strstr(r.draft, l ? "3 of 4" : "4 个"));
			assert_non_null(strstr(r.draft, l ? "Hello" : "您好"));
			drafts++;
			suggest_result_clear(&r);
		}
	}
	assert_int_equal(drafts, (int)rs->n * 2);
	rules_free(rs);
	for (size_t s = 0; s < PMKB_ARRAY_LEN(seeds); s++)
		pm_case_free(cs[s]);
	suggest_templates_free(&t);
}

/* The gate: each condition alone routes to an engineer. */
static void test_gate(void **state)
{
	(void)state;
	suggest_templates t;
	char err[256];
	assert_int_equal(suggest_templates_load(NULL, &t, err, sizeof err), 0);
	ruleset *rs = rules_builtin();
	const rule *ru = &rs->rules[0];
	outcome_entry e = {"X-1", -1, OUTCOME_NOT_RESOLVED, NULL, 1};
	struct {
		verdict v;
		double conf;
		int resolved, manual_no;
		const char *failed;
	} cases[] = {
		{VERDICT_SIMILAR, 0.97, 1, 0, "verdict"},
		{VERDICT_KNOWN, 0.80, 1, 0, "confidence"},
		{VERDICT_KNOWN, 0.97, 0, 0, "outcome"},
		{VERDICT_KNOWN, 0.97, 1, 1, "feedback"},
	};
	for (size_t i = 0; i < PMKB_ARRAY_LEN(cases); i++) {
		match_result m;
		memset(&m, 0, sizeof m);
		m.v = cases[i].v;
		m.confidence = cases[i].conf;
		m.rule = ru;
		outcome_record rec;
		memset(&rec, 0, sizeof rec);
		rec.resolved = cases[i].resolved;
		if (cases[i].manual_no) {
			rec.e = &e;
			rec.n = 1;
			rec.not_resolved = 1;
		}
		suggest_in in = {&m, &rec, SUGGEST_EN, 0.9, &t, NULL};
		suggest_result r;
		suggest_build(&in, &r);
		assert_false(r.pass);
		assert_null(r.draft);
		int failed_named = 0;
		for (size_t k = 0; k < r.nchecks; k++)
			if (!r.checks[k].pass)
				failed_named += !strcmp(r.checks[k].name, cases[i].failed) ? 1 : 100;
		assert_int_equal(failed_named, 1);
		sbuf js = {0};
		suggest_json(&r, &js);
		assert_non_null(strstr(sb_str(&js), "\"route\":\"engineer\""));
		sb_free(&js);
		suggest_result_clear(&r);
	}
	rules_free(rs);
	suggest_templates_free(&t);
}

static void test_lang(void **state)
{
	(void)state;
	assert_int_equal(suggest_detect_lang("您好，我们的电脑蓝屏了，dump 如下", SUGGEST_EN), SUGGEST_ZH);
	assert_int_equal(suggest_detect_lang("Hello, our PC crashed: 0xD1 in nwifi.sys", SUGGEST_ZH), SUGGEST_EN);
	assert_int_equal(suggest_detect_lang(NULL, SUGGEST_EN), SUGGEST_EN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_no_false_alarms),
		cmocka_unit_test(test_shipped_drafts),
		cmocka_unit_test(test_gate),
		cmocka_unit_test(test_lang),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
