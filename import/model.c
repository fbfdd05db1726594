/* model.c - constructors, appenders and destructors of the reader model
 * (see model.h). */
#include "model.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

pm_case *pm_case_new(void)
{
	return xcalloc(1, sizeof(pm_case));
}

void pm_analysis_clear(pm_analysis *a)
{
	if (!a)
		return;
	free(a->dump_name);
	free(a->bugcheck_code);
	free(a->bugcheck_name);
	for (int i = 0; i < 4; i++) {
		free(a->args[i]);
		free(a->arg_desc[i]);
	}
	for (size_t i = 0; i < a->nframes; i++) {
		free(a->frames[i].module);
		free(a->frames[i].function);
		free(a->frames[i].offset);
		free(a->frames[i].address);
	}
	free(a->frames);
	for (size_t i = 0; i < a->nmodules; i++) {
		pm_module *m = &a->modules[i];
		free(m->name);
		free(m->start);
		free(m->end);
		free(m->image_path);
		free(m->timestamp);
		free(m->checksum);
		free(m->image_size);
	}
	free(a->modules);
	for (size_t i = 0; i < a->npool_tags; i++) {
		free(a->pool_tags[i].tag);
		free(a->pool_tags[i].owner);
	}
	free(a->pool_tags);
	for (size_t i = 0; i < a->nlocals; i++) {
		free(a->locals[i].name);
		free(a->locals[i].value);
	}
	free(a->locals);
	free(a->process);
	free(a->irql);
	free(a->failure_bucket);
	free(a->default_bucket);
	free(a->os_build);
	free(a->exception_code);
	free(a->fault_ip);
	free(a->image);
	free(a->machine);
	free(a->registers);
	free(a->source);
	free(a->evidence);
	free(a->module_name);
	free(a->caused_by);
	free(a->followup_ip);
	free(a->symbol_name);
	free(a->warned_image);
	free(a->prose_images);
	free(a->unreliable);
	memset(a, 0, sizeof *a);
}

void pm_case_free(pm_case *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->title);
	free(c->customer);
	free(c->priority);
	free(c->status);
	free(c->refs);
	free(c->first_date);
	free(c->last_date);
	free(c->source);
	free(c->format);
	for (size_t i = 0; i < c->nmessages; i++) {
		free(c->messages[i].sender);
		free(c->messages[i].sent);
		free(c->messages[i].subject);
		free(c->messages[i].message_id);
		free(c->messages[i].body);
	}
	free(c->messages);
	for (size_t i = 0; i < c->nnotes; i++) {
		free(c->notes[i].kind);
		free(c->notes[i].text);
	}
	free(c->notes);
	for (size_t i = 0; i < c->nanalyses; i++)
		pm_analysis_clear(&c->analyses[i]);
	free(c->analyses);
	for (size_t i = 0; i < c->nattachments; i++) {
		free(c->attachments[i].filename);
		free(c->attachments[i].content_type);
	}
	free(c->attachments);
	free(c);
}

#define APPEND(arr, n, cap)                                   \
	do {                                                  \
		XGROW(arr, cap, (n) + 1);                     \
		memset(&(arr)[n], 0, sizeof((arr)[n]));       \
		return &(arr)[(n)++];                         \
	} while (0)

pm_message *pm_case_add_message(pm_case *c) { APPEND(c->messages, c->nmessages, c->messages_cap); }
pm_analysis *pm_case_add_analysis(pm_case *c) { APPEND(c->analyses, c->nanalyses, c->analyses_cap); }
pm_attachment *pm_case_add_attachment(pm_case *c) { APPEND(c->attachments, c->nattachments, c->attachments_cap); }
pm_frame *pm_analysis_add_frame(pm_analysis *a) { APPEND(a->frames, a->nframes, a->frames_cap); }
pm_module *pm_analysis_add_module(pm_analysis *a) { APPEND(a->modules, a->nmodules, a->modules_cap); }
pm_pooltag *pm_analysis_add_pooltag(pm_analysis *a) { APPEND(a->pool_tags, a->npool_tags, a->pool_tags_cap); }
pm_local *pm_analysis_add_local(pm_analysis *a) { APPEND(a->locals, a->nlocals, a->locals_cap); }

pm_note *pm_case_add_note(pm_case *c, int message, const char *kind, const char *text)
{
	XGROW(c->notes, c->notes_cap, c->nnotes + 1);
	pm_note *n = &c->notes[c->nnotes++];
	n->message = message;
	n->kind = xstrdup(kind);
	n->text = xstrdup(text);
	return n;
}

void pm_case_take_analysis(pm_case *c, pm_analysis *src)
{
	pm_analysis *dst = pm_case_add_analysis(c);
	*dst = *src;
	memset(src, 0, sizeof *src);
}

void pm_case_update_dates(pm_case *c)
{
	const char *lo = NULL, *hi = NULL;
	for (size_t i = 0; i < c->nmessages; i++) {
		const char *d = c->messages[i].sent;
		if (!d || !*d)
			continue;
		if (!lo || strcmp(d, lo) < 0)
			lo = d;
		if (!hi || strcmp(d, hi) > 0)
			hi = d;
	}
	free(c->first_date);
	free(c->last_date);
	c->first_date = lo ? xstrndup(lo, 19) : NULL;
	c->last_date = hi ? xstrndup(hi, 19) : NULL;
}
