/* fuzz-mail.c - libFuzzer target for the mail reader: any bytes as one
 * message (GMime parse, our RFC 2047 decoder, charsets, HTML rendering,
 * attachments), as a header value, as a body to cut quotes from, as lines
 * to test for subject prefixes and message boundaries (mail-quote.c, on
 * ranges not terminated by a NUL) and as an mbox to split (in memory and
 * from a file read in blocks, the same way). Never a crash, an
 * out-of-bounds access or a leak. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../import/mail-reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	mail_msg m;
	char err[256];
	if (mail_parse_mem(buf, size, &m, err, sizeof err) == 0) {
		char *cut = mail_cut_quotes(m.body);
		free(cut);
		mail_msg_clear(&m);
	} else if (!err[0] || strchr(err, '\n')) {
		abort(); /* an error is one non-empty line */
	}
	char *h = mail_decode_header(buf, size);
	free(h);
	char *t = mail_html_to_text(buf, size);
	free(t);
	for (const char *l = buf, *end = buf + size; l < end;) {
		const char *le = memchr(l, '\n', (size_t)(end - l));
		if (!le)
			le = end;
		if (mq_prefix(l, le, NULL) > (size_t)(le - l))
			abort();
		if (mq_boundary(l, le) + mq_sent_line(l, le, 1) + mq_subject_line(l, le) < 0)
			abort();
		l = le < end ? le + 1 : end;
	}
	/* the quote cutter wants a C string */
	char *z = malloc(size + 1);
	memcpy(z, data, size);
	z[size] = '\0';
	char *c = mail_cut_quotes(z);
	free(c);
	mbox_unescape(z);
	free(z);
	mbox_span *spans;
	size_t n;
	int rc = mbox_split(buf, size, &spans, &n, err, sizeof err);
	if (rc == 0)
		for (size_t i = 0; i < n; i++)
			if (spans[i].start > spans[i].end || (size_t)spans[i].end > size)
				abort();
	/* the splitter of files read in blocks splits the same way */
	int fd = memfd_create("fuzz-mbox", 0);
	if (fd >= 0 && write(fd, buf, size) == (ssize_t)size) {
		mbox_span *fs;
		size_t fn;
		if (mbox_split_fd(fd, &fs, &fn, err, sizeof err) != rc)
			abort();
		if (rc == 0) {
			if (fn != n)
				abort();
			for (size_t i = 0; i < n; i++)
				if (fs[i].start != spans[i].start || fs[i].end != spans[i].end ||
				    fs[i].line != spans[i].line)
					abort();
			free(fs);
		}
	}
	if (fd >= 0)
		close(fd);
	if (rc == 0)
		free(spans);
	return 0;
}
