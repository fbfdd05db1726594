// xapian-shim.cc - the Xapian index behind the C header xapian-shim.h; the
// only C++ file of pmkb. Every entry point catches every exception and
// returns a kb_status: nothing throws across the C boundary.
//
// Index layout (schema "2", metadata key "pmkb_schema"):
//   one document per case, unique term Q<case id> (Q#<fnv1a64> when the id
//   is too long for a term), field terms <prefix><normalised value> with
//   wdf 1 (prefixes from kb_prefix_table, the one table the query parser
//   uses too), free text through TermGenerator with FLAG_CJK_NGRAM and the
//   English stemmer (STEM_SOME), value slot KB_SLOT_DATE = last message
//   date ("YYYY-MM-DD HH:MM:SS"), value slot KB_SLOT_MATCH = what the
//   matcher reads of a candidate, document data = what a search shows
//   (both index.c's record encoding). Schema "1" kept the signatures in the
//   document data, which Xapian compresses: inflating fifty documents was
//   a sixth of a match.

#include "xapian-shim.h"

#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include <sys/stat.h>
#include <new>
#include <set>
#include <unordered_map>
#include <string>
#include <vector>

/* documents between flushes of Xapian's buffered postings (xs_open) */
#define KB_INDEX_FLUSH "100"

extern "C" {

const kb_prefix kb_prefix_table[] = {
	{"case", "XC", KB_NORM_LOWER},
	{"customer", "XU", KB_NORM_LOWER},
	{"bugcheck", "XB", KB_NORM_BUGCHECK},
	{"module", "XM", KB_NORM_MODULE},
	{"frame", "XF", KB_NORM_FRAME},
	{"pooltag", "XP", KB_NORM_LOWER},
	{"process", "XR", KB_NORM_LOWER},
	{"bugarg", "XA", KB_NORM_LOWER},
};
const size_t kb_nprefixes = sizeof kb_prefix_table / sizeof kb_prefix_table[0];

const kb_prefix *kb_prefix_find(const char *field, size_t len)
{
	for (size_t i = 0; i < kb_nprefixes; i++)
		if (strlen(kb_prefix_table[i].field) == len &&
		    strncmp(kb_prefix_table[i].field, field, len) == 0)
			return &kb_prefix_table[i];
	return NULL;
}

} // extern "C"

struct xs_db {
	Xapian::Database db;          // what searches read (== wdb when writable)
	Xapian::WritableDatabase wdb; // only when writable
	bool writable = false;
	int order = 0;                // an engineer's search: 0 relevance, 1 newest, 2 oldest first
	bool exact = false;           // an engineer's search counts every match
	// xs_set_dates_resident: every document's KB_SLOT_DATE value, for
	// index revision dates_rev (dates_ok): document d's is
	// dates.substr(date_at[d], date_at[d + 1] - date_at[d])
	bool dates_resident = false;
	// xs_set_direct: a matcher's candidate query on one local index is
	// weighed here from the posting lists (direct_candidates), not by
	// Enquire
	bool direct = true;
	// a long-lived reader's (dates_resident) weighed posting lists of the
	// candidate terms, of index revision posts_rev and swap posts_swaps:
	// term -> (docid, BM25 part) in docid order; dropped whole when the
	// revision moves or they pass XS_POSTS_BUDGET bytes
	std::unordered_map<std::string, std::vector<std::pair<Xapian::docid, double>>> posts;
	std::unordered_map<std::string, Xapian::doccount> dfs; // term frequencies, the same way
	size_t posts_bytes = 0;
	Xapian::rev posts_rev = 0;
	unsigned long long posts_swaps = 0;
	bool remote = false;          // a remote shard: its dates are not all read
	bool dates_ok = false;
	Xapian::rev dates_rev = 0;
	bool dates_packed = false;    // the table holds pack_date()'s keys
	std::string dates;
	std::vector<uint32_t> date_at;
	// A local reader of one index: its directory, and which directory
	// it read when opened (reindex swaps a new one in under the same
	// name, and its revision number may equal the old one's: Xapian's
	// reopen() then stays on the old tables). swaps counts the times
	// fresh_reader opened the directory anew; xs_revision answers it
	// with the revision, so "equal revisions, equal content" holds.
	std::string path;
	bool track_dir = false;
	dev_t dir_dev = 0;
	ino_t dir_ino = 0;
	unsigned long long swaps = 0;
};

// "YYYY-MM-DD HH:MM:SS" as seven bytes, each two digits' value (0..99):
// two such dates compare as their texts do, and the key is short enough
// for a string to hold without allocating (KeyMaker answers a string for
// every document the matcher weighs). false (out untouched) for any other
// text.
static bool pack_date(const std::string &v, std::string &out)
{
	static const int sep[] = {4, 7, 10, 13, 16};
	static const char sepc[] = {'-', '-', ' ', ':', ':'};
	if (v.size() != 19)
		return false;
	for (int i = 0; i < 5; i++)
		if (v[(size_t)sep[i]] != sepc[i])
			return false;
	static const int pairs[] = {0, 2, 5, 8, 11, 14, 17};
	char b[7];
	for (int i = 0; i < 7; i++) {
		char h = v[(size_t)pairs[i]], l = v[(size_t)pairs[i] + 1];
		if (h < '0' || h > '9' || l < '0' || l > '9')
			return false;
		b[i] = (char)((h - '0') * 10 + (l - '0'));
	}
	out.append(b, 7);
	return true;
}

extern "C" void xs_set_direct(xs_db *x, int on)
{
	x->direct = on != 0;
}

extern "C" void xs_set_dates_resident(xs_db *x, int on)
{
	x->dates_resident = on != 0;
	x->dates_ok = false;
	x->dates.clear();
	x->date_at.clear();
}

// The date key of a matcher's search from the resident table: what
// Document::get_value(KB_SLOT_DATE) gives, without reading the index
// (run_query: a date for every document the matcher considers was most
// of the block reads of a match at 100k cases).
class ResidentDate : public Xapian::KeyMaker {
	const xs_db *x;

      public:
	explicit ResidentDate(const xs_db *x_) : x(x_) {}
	std::string operator()(const Xapian::Document &doc) const override
	{
		Xapian::docid d = doc.get_docid();
		if (d + 1 < x->date_at.size())
			return x->dates.substr(x->date_at[d], x->date_at[d + 1] - x->date_at[d]);
		std::string v = doc.get_value(KB_SLOT_DATE), k;
		return x->dates_packed && pack_date(v, k) ? k : v;
	}
};

// A long-lived reader of one local index (xs_set_dates_resident): what
// keeps the dates, and the posting lists and term frequencies, per revision.
static bool long_lived(const xs_db *x)
{
	return x->dates_resident && !x->writable && !x->remote && x->db.size() == 1;
}

// Is the resident date table of the revision read now? Read it when not
// (one pass over the date values, in document order). false: none here
// (not asked for, shards, or too big for 32-bit offsets).
static bool resident_dates(xs_db *x)
{
	if (!long_lived(x))
		return false;
	Xapian::rev rev = x->db.get_revision();
	if (x->dates_ok && rev == x->dates_rev)
		return true;
	x->dates_ok = false;
	x->dates.clear();
	x->date_at.clear();
	Xapian::docid last = x->db.get_lastdocid();
	std::vector<uint32_t> at((size_t)last + 2, 0), pat((size_t)last + 2, 0);
	std::string all, packed;
	bool packable = true; // every date "YYYY-MM-DD HH:MM:SS" (or none)
	Xapian::docid next = 1; // the first document whose offset is not set
	for (auto v = x->db.valuestream_begin(KB_SLOT_DATE); v != x->db.valuestream_end(KB_SLOT_DATE); ++v) {
		Xapian::docid d = v.get_docid();
		if (d > last)
			break;
		for (; next <= d; next++) {
			at[next] = (uint32_t)all.size();
			pat[next] = (uint32_t)packed.size();
		}
		const std::string val = *v;
		all += val;
		packable = packable && (val.empty() || pack_date(val, packed));
		if (all.size() > UINT32_MAX / 2)
			return false;
	}
	for (; next <= last + 1; next++) {
		at[next] = (uint32_t)all.size();
		pat[next] = (uint32_t)packed.size();
	}
	// packed keys give the order the texts give, when every date has the
	// one form; else the texts themselves
	x->dates_packed = packable;
	x->dates.swap(packable ? packed : all);
	x->date_at.swap(packable ? pat : at);
	x->dates_rev = rev;
	x->dates_ok = true;
	return true;
}

extern "C" void xs_set_exact(xs_db *x, int on)
{
	x->exact = on != 0;
}

extern "C" void xs_set_order(xs_db *x, int order)
{
	x->order = order;
}

// Xapian terms are limited to 245 bytes: longer ones are hashed.
static const size_t MAX_TERM = 240;

static std::string make_term(const std::string &prefix, const std::string &value)
{
	std::string t = prefix + value;
	if (t.size() <= MAX_TERM)
		return t;
	char hex[17];
	hash_hex(fnv1a64(value.data(), value.size()), hex);
	return prefix + "#" + hex;
}

static std::string id_term(const char *case_id)
{
	return make_term("Q", case_id);
}

static const kb_prefix *prefix_of(const char *field)
{
	return kb_prefix_find(field, strlen(field));
}

static void set_err(char *err, size_t errsz, const std::string &msg)
{
	if (!err || errsz == 0)
		return;
	std::string m = msg;
	for (auto &ch : m) {
		if (ch == '\n')
			ch = ' ';
	}
	snprintf(err, errsz, "%s", m.c_str());
}

// Run f, mapping exceptions to statuses. A reader whose snapshot was
// overwritten by a writer (DatabaseModifiedError) reopens and retries.
template <class F>
static kb_status guarded(xs_db *db, char *err, size_t errsz, F f)
{
	for (int attempt = 0;; attempt++) {
		try {
			return f();
		} catch (const Xapian::DatabaseModifiedError &e) {
			if (db && attempt < 5) {
				try {
					db->db.reopen();
					continue;
				} catch (...) {
				}
			}
			set_err(err, errsz, "index changed while reading: " + e.get_msg());
			return KB_INTERNAL;
		} catch (const Xapian::DatabaseLockError &e) {
			set_err(err, errsz, "the index is locked by another writer");
			return KB_LOCKED;
		} catch (const Xapian::DatabaseVersionError &e) {
			set_err(err, errsz, "index format not supported: " + e.get_msg());
			return KB_VERSION;
		} catch (const Xapian::DatabaseCorruptError &e) {
			set_err(err, errsz, "index damaged: " + e.get_msg() + "; run 'pmkb reindex'");
			return KB_CORRUPT;
		} catch (const Xapian::DatabaseNotFoundError &e) {
			set_err(err, errsz, "no index: " + e.get_msg());
			return KB_NOT_FOUND;
		} catch (const Xapian::DatabaseOpeningError &e) {
			set_err(err, errsz, "cannot open the index: " + e.get_msg());
			return KB_IO;
		} catch (const Xapian::QueryParserError &e) {
			set_err(err, errsz, "bad query: " + e.get_msg());
			return KB_BAD_QUERY;
		} catch (const Xapian::NetworkError &e) {
			set_err(err, errsz, "index server unreachable: " + e.get_msg());
			return KB_UNAVAILABLE;
		} catch (const Xapian::DatabaseError &e) {
			const char *why = e.get_error_string();
			if (e.get_msg().find("No space left on device") != std::string::npos ||
			    (why && strcmp(why, strerror(ENOSPC)) == 0)) {
				set_err(err, errsz, "no space left on the device (the index): " + e.get_msg());
				return KB_NOSPACE;
			}
			// read errors of an opened index: damage (a truncated or
			// overwritten table), or the disk failing under it
			set_err(err, errsz, "index damaged: " + e.get_msg() + "; run 'pmkb reindex'");
			return KB_CORRUPT;
		} catch (const Xapian::Error &e) {
			set_err(err, errsz, std::string("xapian ") + e.get_type() + ": " + e.get_msg());
			return KB_INTERNAL;
		} catch (const std::bad_alloc &) {
			set_err(err, errsz, "out of memory");
			return KB_NOMEM;
		} catch (const std::exception &e) {
			set_err(err, errsz, e.what());
			return KB_INTERNAL;
		} catch (...) {
			set_err(err, errsz, "unknown error in the index");
			return KB_INTERNAL;
		}
	}
}

// "tcp://host:port" -> a remote database; anything else is a directory.
static bool parse_tcp(const char *path, std::string &host, unsigned &port)
{
	if (strncmp(path, "tcp://", 6) != 0)
		return false;
	std::string rest = path + 6;
	while (!rest.empty() && rest.back() == '/')
		rest.pop_back();
	size_t colon = rest.rfind(':');
	if (colon == std::string::npos || colon == 0)
		throw Xapian::InvalidArgumentError("remote shard needs tcp://host:port");
	host = rest.substr(0, colon);
	char *end = NULL;
	unsigned long p = strtoul(rest.c_str() + colon + 1, &end, 10);
	if (!end || *end || p == 0 || p > 65535)
		throw Xapian::InvalidArgumentError("bad port in '" + std::string(path) + "'");
	port = (unsigned)p;
	return true;
}

static Xapian::Database open_readonly(const char *path)
{
	std::string host;
	unsigned port = 0;
	if (parse_tcp(path, host, port))
		return Xapian::Remote::open(host, port, 10000, 5000);
	return Xapian::Database(path);
}

static void check_schema(const Xapian::Database &db, const char *path)
{
	std::string v = db.get_metadata("pmkb_schema");
	if (v != KB_INDEX_SCHEMA)
		throw Xapian::DatabaseVersionError(std::string("index '") + path + "' has schema '" +
						   (v.empty() ? "none" : v) + "', this pmkb needs '" +
						   KB_INDEX_SCHEMA + "'");
}

extern "C" kb_status xs_open(const char *path, int writable, xs_db **out, char *err, size_t errsz)
{
	*out = NULL;
	xs_db *x = NULL;
	kb_status st = guarded(NULL, err, errsz, [&]() {
		x = new xs_db;
		if (writable) {
			std::string host;
			unsigned port = 0;
			if (parse_tcp(path, host, port))
				throw Xapian::InvalidArgumentError("a remote shard cannot be written");
			// Glass buffers the postings of the documents added since
			// its last flush in maps of maps, and by default flushes
			// every 10000 documents: a batch of 500 cases then holds
			// some 100k terms, each with a map of up to 500 documents,
			// and every posting added walks them (cache misses: a
			// sixth of a mail import's CPU). Flushing every
			// KB_INDEX_FLUSH documents moves them into the B-trees in
			// small steps; each flush reads and writes back one leaf
			// per term it holds, so too small a step costs block
			// reads as the index grows (docs/benchmarks.md: 20 was
			// best at 2k threads, 100 at 10k). Inside the transaction a flush is not a
			// commit: nothing is visible or durable before xs_commit,
			// as before. $XAPIAN_FLUSH_THRESHOLD, when set, wins.
			setenv("XAPIAN_FLUSH_THRESHOLD", KB_INDEX_FLUSH, 0);
			x->wdb = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
			x->writable = true;
			if (x->wdb.get_metadata("pmkb_schema").empty() && x->wdb.get_doccount() == 0) {
				x->wdb.set_metadata("pmkb_schema", KB_INDEX_SCHEMA);
				x->wdb.commit();
			}
			x->db = x->wdb;
			// Changes wait in an unflushed transaction until xs_commit:
			// Xapian then never flushes on its own (autoflush) ahead of
			// SQLite, and closing without xs_commit drops them.
			x->wdb.begin_transaction(false);
		} else {
			x->db = open_readonly(path);
			std::string host;
			unsigned port = 0;
			x->remote = parse_tcp(path, host, port);
			struct stat sb;
			if (!x->remote && stat(path, &sb) == 0) {
				x->path = path;
				x->track_dir = true;
				x->dir_dev = sb.st_dev;
				x->dir_ino = sb.st_ino;
			}
		}
		check_schema(x->db, path);
		return KB_OK;
	});
	if (st != KB_OK) {
		if (st == KB_INTERNAL && err && strstr(err, "InvalidArgument"))
			st = KB_INVALID;
		delete x;
		return st;
	}
	*out = x;
	return KB_OK;
}

extern "C" kb_status xs_add(xs_db *x, const char *path, char *err, size_t errsz)
{
	kb_status st = guarded(NULL, err, errsz, [&]() {
		Xapian::Database more = open_readonly(path);
		check_schema(more, path);
		x->db.add_database(more);
		x->track_dir = false; // several indexes: reopen() as before
		return KB_OK;
	});
	if (st == KB_INTERNAL && err && strstr(err, "InvalidArgument"))
		st = KB_INVALID;
	return st;
}

extern "C" void xs_close(xs_db *x)
{
	if (!x)
		return;
	try {
		// Uncommitted changes are dropped on purpose (closing aborts the
		// open transaction): store.c commits explicitly, and a half batch
		// must not reach the index ahead of SQLite.
		if (x->writable)
			x->wdb.close();
		x->db.close();
	} catch (...) {
	}
	try {
		delete x;
	} catch (...) {
	}
}

/* Is the UTF-8 character at s one that FLAG_CJK_NGRAM cuts into n-grams?
 * (Xapian's own ranges: CJK radicals to Yi, Hangul, compatibility forms,
 * half- and full-width forms, the supplementary ideographs.) */
static bool starts_cjk(const std::string &s, size_t at)
{
	unsigned c = (unsigned char)s[at];
	unsigned cp;
	if (c >= 0xf0 && at + 3 < s.size())
		cp = (c & 7u) << 18 | ((unsigned char)s[at + 1] & 63u) << 12 |
		     ((unsigned char)s[at + 2] & 63u) << 6 | ((unsigned char)s[at + 3] & 63u);
	else if (c >= 0xe0 && at + 2 < s.size())
		cp = (c & 15u) << 12 | ((unsigned char)s[at + 1] & 63u) << 6 | ((unsigned char)s[at + 2] & 63u);
	else
		return false;
	return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0x3000 && cp <= 0x9FFF) ||
	       (cp >= 0xA700 && cp <= 0xA71F) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
	       (cp >= 0x2A700 && cp <= 0x2B81F) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

/* STEM_SOME adds a stemmed copy ("Z" + stem) of every word, CJK n-grams
 * included; the English stemmer leaves an n-gram as it is, and the query
 * parser looks n-grams up unstemmed (xs_word_df takes the larger of both),
 * so those copies are never asked for. Leaving them out cuts a Chinese
 * case's terms by about a third and the import's index work with them
 * (mail import CPU -8%). The stemmer itself answers "" for a word that
 * starts with a CJK character, and TermGenerator adds no stemmed term for
 * an empty stem: the same document as adding the copies and removing them
 * again (which the import did before), without a third of the stemmer
 * calls and term insertions. */
class cjk_unstemmed : public Xapian::StemImplementation {
	Xapian::Stem en{"en"};

      public:
	std::string operator()(const std::string &word) override
	{
		if (!word.empty() && starts_cjk(word, 0))
			return std::string();
		return en(word);
	}
	std::string get_description() const override { return "en, CJK unstemmed"; }
};

static void set_up_termgen(Xapian::TermGenerator &tg)
{
	tg.set_stemmer(Xapian::Stem(new cjk_unstemmed));
	tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
	tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
}

extern "C" kb_status xs_replace(xs_db *x, const xs_doc *d, char *err, size_t errsz)
{
	return guarded(x, err, errsz, [&]() {
		if (!x->writable)
			throw Xapian::InvalidOperationError("index opened read-only");
		Xapian::Document doc;
		std::string idt = id_term(d->case_id);
		doc.add_boolean_term(idt);
		for (size_t i = 0; i < d->nterms; i++) {
			const kb_prefix *p = prefix_of(d->terms[i].field);
			if (!p || !d->terms[i].value || !*d->terms[i].value)
				continue;
			doc.add_term(make_term(p->prefix, d->terms[i].value), 1);
		}
		Xapian::TermGenerator tg;
		set_up_termgen(tg);
		tg.set_document(doc);
		for (size_t i = 0; i < d->ntexts; i++) {
			if (!d->texts[i] || !*d->texts[i])
				continue;
			tg.index_text(d->texts[i]); // with positions: "quoted phrases" are phrases
			tg.increase_termpos(100);
		}
		if (d->date && *d->date)
			doc.add_value(KB_SLOT_DATE, d->date);
		if (d->match && d->matchlen)
			doc.add_value(KB_SLOT_MATCH, std::string(d->match, d->matchlen));
		doc.set_data(std::string(d->data ? d->data : "", d->datalen));
		x->wdb.replace_document(idt, doc);
		return KB_OK;
	});
}

extern "C" kb_status xs_commit(xs_db *x, char *err, size_t errsz)
{
	return guarded(x, err, errsz, [&]() {
		if (x->writable) {
			x->wdb.commit_transaction();
			x->wdb.commit();
			x->wdb.begin_transaction(false);
		}
		return KB_OK;
	});
}

extern "C" kb_status xs_delete(xs_db *x, const char *case_id, char *err, size_t errsz)
{
	return guarded(x, err, errsz, [&]() {
		if (!x->writable)
			throw Xapian::InvalidOperationError("index opened read-only");
		x->wdb.delete_document(id_term(case_id));
		return KB_OK;
	});
}

extern "C" kb_status xs_compare_ids(xs_db *x, const char *const *ids, size_t n, int delete_extra,
				    unsigned long *missing, unsigned long *extra, char *first_extra,
				    size_t fesz, char *err, size_t errsz)
{
	*missing = *extra = 0;
	if (first_extra && fesz)
		first_extra[0] = '\0';
	return guarded(x, err, errsz, [&]() {
		if (delete_extra && !x->writable)
			throw Xapian::InvalidOperationError("index opened read-only");
		std::set<std::string> want;
		for (size_t i = 0; i < n; i++)
			want.insert(id_term(ids[i]));
		std::vector<std::string> gone;
		size_t seen = 0;
		for (auto t = x->db.allterms_begin("Q"); t != x->db.allterms_end("Q"); ++t) {
			if (want.count(*t)) {
				seen++;
				continue;
			}
			if (gone.empty() && first_extra && fesz)
				snprintf(first_extra, fesz, "%s", (*t).c_str() + 1);
			gone.push_back(*t);
		}
		*missing = (unsigned long)(want.size() - seen);
		*extra = (unsigned long)gone.size();
		if (delete_extra)
			for (const auto &t : gone)
				x->wdb.delete_document(t);
		return KB_OK;
	});
}

extern "C" kb_status xs_verify(xs_db *x, char *err, size_t errsz)
{
	return guarded(x, err, errsz, [&]() {
		Xapian::doccount n = 0;
		for (auto it = x->db.postlist_begin(""); it != x->db.postlist_end(""); ++it) {
			Xapian::Document d = x->db.get_document(*it);
			(void)d.get_data();
			(void)d.get_value(KB_SLOT_MATCH);
			for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t)
				(void)*t;
			n++;
		}
		for (auto t = x->db.allterms_begin(); t != x->db.allterms_end(); ++t)
			(void)x->db.get_termfreq(*t);
		if (n != x->db.get_doccount())
			throw Xapian::DatabaseCorruptError("document count disagrees with the documents");
		return KB_OK;
	});
}

// h.data = a malloc'd, NUL-terminated copy of s.
static void copy_out(xs_hit &h, const std::string &s)
{
	h.data = (char *)malloc(s.size() + 1);
	if (!h.data)
		throw std::bad_alloc();
	memcpy(h.data, s.data(), s.size());
	h.data[s.size()] = '\0';
	h.datalen = s.size();
}

// Read the documents of fetch ((docid, index in out) pairs) in docid
// order: neighbours share the blocks of the document table, where rank
// order would read a leaf each. out[index] gets the KB_SLOT_MATCH value
// (for_match) or the document data; on an exception every out[i].data of
// the nout is freed and NULL.
static void read_docs(xs_db *x, std::vector<std::pair<Xapian::docid, size_t>> &fetch, xs_hit *out,
		      size_t nout, bool for_match)
{
	std::sort(fetch.begin(), fetch.end());
	try {
		for (auto &f : fetch) {
			Xapian::Document doc = x->db.get_document(f.first, Xapian::DOC_ASSUME_VALID);
			copy_out(out[f.second], for_match ? doc.get_value(KB_SLOT_MATCH) : doc.get_data());
			out[f.second].docid = f.first;
		}
	} catch (...) {
		for (size_t i = 0; i < nout; i++) {
			free(out[i].data);
			out[i].data = NULL;
		}
		throw;
	}
}

// A long-lived reader (the web server) moves to what writers committed
// since it opened; cheap when nothing changed. Called before anything of
// a search reads the index: the term statistics a search weighs its terms
// by (xs_candidates) and the query it then runs must be of one revision,
// or the first search after a commit ranks with the old statistics.
//
// An index swapped in under the reader's path (reindex, a repair) is
// another directory: the reader opens it anew, whatever its revision, and
// forgets what it kept of the old one (the resident dates; callers that
// keep more compare xs_revision). Between the two renames of a swap on a
// file system without RENAME_EXCHANGE the path is missing for a moment:
// then the reader stays where it is until the next call.
static void fresh_reader(xs_db *x)
{
	if (x->writable)
		return;
	struct stat sb;
	if (x->track_dir && stat(x->path.c_str(), &sb) == 0 &&
	    (sb.st_dev != x->dir_dev || sb.st_ino != x->dir_ino)) {
		Xapian::Database now(x->path);
		check_schema(now, x->path.c_str());
		x->db = now;
		x->dir_dev = sb.st_dev;
		x->dir_ino = sb.st_ino;
		x->swaps++;
		x->dates_ok = false;
		x->dates.clear();
		x->date_at.clear();
		return;
	}
	x->db.reopen();
}

static kb_status copy_hits(xs_db *x, const std::vector<std::pair<Xapian::docid, double>> &ranked,
			   bool for_match, const unsigned *skip, size_t nskip, xs_hit **hits, size_t *n);

// Run q and copy out the hits; relevance first, newer cases first on ties
// (a query made only of field filters weighs every hit 0).
static kb_status run_query(xs_db *x, const Xapian::Query &q, size_t offset, size_t limit,
			   bool for_match, const unsigned *skip, size_t nskip, xs_hit **hits,
			   size_t *n, size_t *estimated)
{
	// Queries for the matcher weigh a term without the document's length:
	// reading every hit's length from the doclen list was a sixth of a
	// match at 100k cases, and a case with many analyses is not less
	// likely to hold the query's driver.
	// the reader was moved to the newest commit by the caller (fresh_reader)
	ResidentDate dates(x);
	Xapian::Enquire enq(x->db);
	enq.set_query(q);
	if (for_match) // no length normalisation: BM25 with b = 0
		enq.set_weighting_scheme(Xapian::BM25Weight(1, 0, 1, 0, 0.5));
	if (!for_match && x->order == 1)
		enq.set_sort_by_value_then_relevance(KB_SLOT_DATE, true);
	else if (!for_match && x->order == 2)
		enq.set_sort_by_value_then_relevance(KB_SLOT_DATE, false);
	else if (for_match && resident_dates(x))
		enq.set_sort_by_relevance_then_key(&dates, true); // the same order, no read
	else
		enq.set_sort_by_relevance_then_value(KB_SLOT_DATE, true);
	Xapian::doccount check = !for_match && x->exact ? x->db.get_doccount() : 0;
	Xapian::MSet ms = enq.get_mset((Xapian::doccount)offset, (Xapian::doccount)limit, check);
	std::vector<std::pair<Xapian::docid, double>> ranked;
	for (auto it = ms.begin(); it != ms.end(); ++it)
		ranked.emplace_back(*it, it.get_weight());
	*estimated = ms.get_matches_estimated();
	return copy_hits(x, ranked, for_match, skip, nskip, hits, n);
}

// The hits ranked ((docid, weight) in rank order) with their documents
// read, as run_query answers them: a document in skip (already read by
// this match) comes back with its id only.
static kb_status copy_hits(xs_db *x, const std::vector<std::pair<Xapian::docid, double>> &ranked,
			   bool for_match, const unsigned *skip, size_t nskip, xs_hit **hits, size_t *n)
{
	std::vector<xs_hit> out;
	std::vector<std::pair<Xapian::docid, size_t>> fetch; // (docid, index in out)
	for (auto &r : ranked) {
		xs_hit h;
		h.weight = r.second;
		h.docid = (unsigned)r.first;
		h.data = NULL; // skipped (already read by this match): its id only
		h.datalen = 0;
		if (!nskip || !std::binary_search(skip, skip + nskip, (unsigned)r.first))
			fetch.emplace_back(r.first, out.size());
		out.push_back(h);
	}
	read_docs(x, fetch, out.data(), out.size(), for_match);
	*n = out.size();
	*hits = NULL;
	if (!out.empty()) {
		*hits = (xs_hit *)malloc(out.size() * sizeof(xs_hit));
		if (!*hits) {
			for (auto &o : out)
				free(o.data);
			throw std::bad_alloc();
		}
		memcpy(*hits, out.data(), out.size() * sizeof(xs_hit));
	}
	return KB_OK;
}

// Does q hold a phrase (or NEAR) query anywhere?
static bool has_phrase(const Xapian::Query &q)
{
	Xapian::Query::op t = q.get_type();
	if (t == Xapian::Query::OP_PHRASE || t == Xapian::Query::OP_NEAR)
		return true;
	for (size_t i = 0; i < q.get_num_subqueries(); i++)
		if (has_phrase(q.get_subquery(i)))
			return true;
	return false;
}

// date:FROM..TO over the last-message date (KB_SLOT_DATE, "YYYY-MM-DD
// HH:MM:SS"): each bound YYYY, YYYY-MM or YYYY-MM-DD, covering the whole
// year, month or day it names; either may be empty. search-opts.c checks the
// bounds before (a bad one is a usage error, not "no hit").
class DateRange : public Xapian::RangeProcessor {
      public:
	DateRange() : Xapian::RangeProcessor(KB_SLOT_DATE, "date:") {}
	Xapian::Query operator()(const std::string &b, const std::string &e) override
	{
		if (e.empty())
			return Xapian::Query(Xapian::Query::OP_VALUE_GE, KB_SLOT_DATE, b);
		return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, KB_SLOT_DATE, b, e + "\xff");
	}
};

// Is a matcher's search on x weighed by the shim (direct_candidates)? On
// one local index, unless xs_set_direct turned it off.
static bool direct_ok(const xs_db *x)
{
	return x->direct && !x->remote && x->db.size() == 1;
}

static bool kept_fresh(xs_db *x);
static Xapian::doccount term_df(xs_db *x, const std::string &t, bool keep);
static kb_status direct_candidates(xs_db *x, const std::vector<std::pair<Xapian::doccount, std::string>> &terms,
				   bool keep, size_t limit, const unsigned *skip, size_t nskip, xs_hit **hits,
				   size_t *n, size_t *estimated);

extern "C" kb_status xs_search(xs_db *x, const char *query, size_t offset, size_t limit,
			       int for_match, const unsigned *skip, size_t nskip, xs_hit **hits,
			       size_t *n, size_t *estimated, char *err, size_t errsz)
{
	*hits = NULL;
	*n = 0;
	*estimated = 0;
	return guarded(x, err, errsz, [&]() {
		fresh_reader(x);
		Xapian::QueryParser qp;
		qp.set_database(x->db);
		qp.set_stemmer(Xapian::Stem("en"));
		qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
		qp.set_default_op(Xapian::Query::OP_AND);
		for (size_t i = 0; i < kb_nprefixes; i++)
			qp.add_boolean_prefix(kb_prefix_table[i].field, kb_prefix_table[i].prefix);
		DateRange dates;
		qp.add_rangeprocessor(&dates);
		unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PURE_NOT |
				 Xapian::QueryParser::FLAG_CJK_NGRAM;
		Xapian::Query q = qp.parse_query(query, flags);
		if (q.empty())
			return KB_OK;
		// an index written without positions would answer a phrase as
		// its words in any order: say so instead
		if (!for_match && has_phrase(q) && x->db.get_doccount() > 0 && !x->db.has_positions()) {
			set_err(err, errsz, "this index holds no word positions (written by an older pmkb), "
					    "so a \"phrase\" cannot be searched; run 'pmkb reindex'");
			return KB_VERSION;
		}
		// a matcher's search for one word (a module named in prose) is
		// one term: weighed as the candidate query is (direct_candidates)
		if (for_match && !offset && direct_ok(x) && q.get_type() == Xapian::Query::LEAF_TERM &&
		    q.get_length() == 1) {
			std::string t = *q.get_terms_begin();
			bool keep = kept_fresh(x);
			Xapian::doccount df = term_df(x, t, keep);
			if (!df)
				return KB_OK;
			std::vector<std::pair<Xapian::doccount, std::string>> one(1, std::make_pair(df, t));
			return direct_candidates(x, one, keep, limit, skip, nskip, hits, n, estimated);
		}
		return run_query(x, q, offset, limit, for_match != 0, skip, nskip, hits, n, estimated);
	});
}

extern "C" kb_status xs_fetch(xs_db *x, const unsigned *docids, size_t n, xs_hit *out, char *err,
			      size_t errsz)
{
	for (size_t i = 0; i < n; i++)
		out[i].data = NULL;
	return guarded(x, err, errsz, [&]() {
		std::vector<std::pair<Xapian::docid, size_t>> fetch;
		for (size_t i = 0; i < n; i++)
			fetch.emplace_back(docids[i], i);
		read_docs(x, fetch, out, n, false);
		return KB_OK;
	});
}

// The posting lists a candidate query may walk, summed: a term's postings
// are its document frequency. The rarest terms are taken first until the
// budget is spent (at least XS_MIN_TERMS of them, whatever their length),
// so a query costs about the same in a knowledge base of 10k cases as in
// one of 1M: the terms left out are those half the cases share (nt, a
// common bugcheck, a module of every network stack), which weigh little in
// BM25 anyway and which the re-ranking scores from the signatures.
#define XS_POSTING_BUDGET 10000
#define XS_MIN_TERMS 3

// The words of text as the index's term generator makes them, unstemmed,
// in a document of their own (its termlist: each word once, with its count;
// no positions: nothing here reads them, and recording them was most of
// the cost for a long pasted text).
static Xapian::Document unstemmed_words(const char *text)
{
	Xapian::Document doc;
	Xapian::TermGenerator tg;
	set_up_termgen(tg);
	tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
	tg.set_document(doc);
	tg.index_text_without_positions(text);
	return doc;
}

// The candidate query (an OR of the chosen terms, BM25Weight(1, 0, 1, 0,
// 0.5)) weighed from the posting lists themselves: what Enquire answers,
// document for document and weight for weight, without the matcher's
// machinery around each posting (most of a candidate search at 100k
// cases). Exactly Xapian 1.4's arithmetic:
// - a term's part of a document's weight is BM25Weight::get_sumpart's
//   with b = 0: termweight * (wdf / (1 + wdf)), termweight as
//   BM25Weight::init makes it (k3's factor is 1 for a term met once);
// - a document's weight sums the parts in the order Xapian's OR tree adds
//   them (OrContext::postlist: the two postlists of the lowest estimated
//   frequency joined first, through a heap, the lowest the right-hand one,
//   OrPostList::get_termfreq_est the estimate of a join). Floating-point addition is not associative,
//   so the tree's shape is kept, not only its terms;
// - the ranking is Enquire's for sort_by_relevance_then_key(.., true) (or
//   _then_value): weight, then the date key, larger first, then docid.
// The candidate terms are in rarest-first order, as the Query gets them.
typedef std::vector<std::pair<Xapian::docid, double>> WeighedDocs;

// A term's weight as BM25Weight(1, 0, 1, 0, 0.5)::init makes it for a term
// of the query met once, in an index of dbsize documents, df of them the
// term's: a posting's part is this times wdf / (1 + wdf).
static double bm25_termweight(Xapian::doccount dbsize, Xapian::doccount df)
{
	double tw = (dbsize - df + 0.5) / (df + 0.5);
	if (tw < 2)
		tw = tw * 0.5 + 1;
	const double k1 = 1, k3 = 1, wqf = 1, factor = 1;
	double termweight = log(tw) * factor;
	termweight *= (k3 + 1) * wqf / (k3 + wqf);
	termweight *= (k1 + 1);
	return termweight;
}

struct OrNode {
	Xapian::doccount est;
	WeighedDocs own;
	const WeighedDocs *docs; // own, or a list the reader keeps
};

static void or_join(const WeighedDocs &l, const WeighedDocs &r, WeighedDocs &out)
{
	out.resize(l.size() + r.size());
	const std::pair<Xapian::docid, double> *a = l.data(), *ae = a + l.size(), *b = r.data(),
					       *be = b + r.size();
	std::pair<Xapian::docid, double> *o = out.data();
	while (a < ae && b < be) {
		if (a->first < b->first)
			*o++ = *a++;
		else if (a->first > b->first)
			*o++ = *b++;
		else {
			o->first = a->first;
			o->second = a->second + b->second;
			o++, a++, b++;
		}
	}
	while (a < ae)
		*o++ = *a++;
	while (b < be)
		*o++ = *b++;
	out.resize((size_t)(o - out.data()));
}

// What a long-lived reader keeps of weighed posting lists, in bytes (a
// worker's; the server has serve.threads of them): about 4 million
// postings. Above it the whole store is dropped and filled again.
#define XS_POSTS_BUDGET (64u << 20)
// and of term frequencies, in terms (about 60 MB at most)
#define XS_DFS_MAX 1000000

// term's postings with each one's BM25 part, as the candidate query's
// leaf for it gives them (df: the term's frequency in this revision)
static void weigh_postings(xs_db *x, const std::string &term, Xapian::doccount df, WeighedDocs &out)
{
	double termweight = bm25_termweight(x->db.get_doccount(), df);
	out.reserve(df);
	for (auto p = x->db.postlist_begin(term); p != x->db.postlist_end(term); ++p) {
		double wdf = p.get_wdf();
		out.emplace_back(*p, termweight * (wdf / (1.0 + wdf)));
	}
}

// A run of documents of equal weight: by date key, larger first, then by
// docid. Resident keys are compared where they lie.
static void order_ties(xs_db *x, bool resident, WeighedDocs::iterator b, WeighedDocs::iterator e)
{
	// (called only when every document of the run has a resident key)
	auto rk = [x](Xapian::docid d, const char *&p, size_t &len) {
		p = x->dates.data() + x->date_at[d];
		len = x->date_at[d + 1] - x->date_at[d];
	};
	bool all_resident = resident;
	for (auto i = b; i != e && all_resident; ++i)
		all_resident = i->first + 1 < x->date_at.size();
	if (all_resident) {
		std::sort(b, e, [&rk](const std::pair<Xapian::docid, double> &a, const std::pair<Xapian::docid, double> &c) {
			const char *pa = NULL, *pc = NULL;
			size_t la = 0, lc = 0;
			rk(a.first, pa, la);
			rk(c.first, pc, lc);
			// std::string::compare's order: bytes, then length
			int k = memcmp(pa, pc, std::min(la, lc));
			if (k == 0)
				k = la < lc ? -1 : la > lc ? 1 : 0;
			return k != 0 ? k > 0 : a.first < c.first;
		});
		return;
	}
	// the keys Enquire sorts by: ResidentDate's, or the stored value
	std::vector<std::pair<std::string, Xapian::docid>> keyed;
	ResidentDate dates(x);
	for (auto i = b; i != e; ++i) {
		Xapian::Document doc = x->db.get_document(i->first, Xapian::DOC_ASSUME_VALID);
		keyed.emplace_back(resident ? dates(doc) : doc.get_value(KB_SLOT_DATE), i->first);
	}
	std::sort(keyed.begin(), keyed.end(), [](const std::pair<std::string, Xapian::docid> &a,
						 const std::pair<std::string, Xapian::docid> &c) {
		int k = a.first.compare(c.first);
		return k != 0 ? k > 0 : a.second < c.second;
	});
	for (auto i = b; i != e; ++i)
		i->first = keyed[(size_t)(i - b)].second;
}

// Does x keep posting lists and term frequencies (a long-lived reader of
// one local index)? Those of another revision are dropped first, and the
// lists when they pass their budget.
static bool kept_fresh(xs_db *x)
{
	if (!long_lived(x))
		return false;
	if (x->posts_rev != x->db.get_revision() || x->posts_swaps != x->swaps) {
		x->posts.clear();
		x->dfs.clear();
		x->posts_bytes = 0;
		x->posts_rev = x->db.get_revision();
		x->posts_swaps = x->swaps;
	}
	if (x->posts_bytes > XS_POSTS_BUDGET) {
		x->posts.clear();
		x->posts_bytes = 0;
	}
	if (x->dfs.size() > XS_DFS_MAX)
		x->dfs.clear();
	return true;
}

// t's document frequency, from what x keeps when keep (kept_fresh)
static Xapian::doccount term_df(xs_db *x, const std::string &t, bool keep)
{
	if (!keep)
		return x->db.get_termfreq(t);
	auto it = x->dfs.find(t);
	if (it != x->dfs.end())
		return it->second;
	Xapian::doccount df = x->db.get_termfreq(t);
	x->dfs.emplace(t, df);
	return df;
}

// keep: kept_fresh(x), asked by the caller after fresh_reader
static kb_status direct_candidates(xs_db *x, const std::vector<std::pair<Xapian::doccount, std::string>> &terms,
				   bool keep, size_t limit, const unsigned *skip, size_t nskip, xs_hit **hits,
				   size_t *n, size_t *estimated)
{
	Xapian::doccount dbsize = x->db.get_doccount();
	bool resident = resident_dates(x);
	std::vector<OrNode> nodes;
	nodes.reserve(2 * terms.size());
	for (auto &t : terms) {
		nodes.emplace_back();
		OrNode &leaf = nodes.back();
		leaf.est = t.first;
		if (keep) {
			auto it = x->posts.find(t.second);
			if (it == x->posts.end()) {
				it = x->posts.emplace(t.second, WeighedDocs()).first;
				weigh_postings(x, t.second, t.first, it->second);
				x->posts_bytes += it->first.size() + 64 +
						  it->second.size() * sizeof(std::pair<Xapian::docid, double>);
			}
			leaf.docs = &it->second;
		} else {
			weigh_postings(x, t.second, t.first, leaf.own);
			leaf.docs = &leaf.own;
		}
	}
	size_t root = 0;
	if (nodes.size() > 1) {
		// (Xapian's ComparePostListTermFreqAscending of queryinternal.cc:
		// ">", so the heap's top is the lowest estimate)
		auto cmp = [&nodes](size_t a, size_t b) { return nodes[a].est > nodes[b].est; };
		std::vector<size_t> pls;
		for (size_t i = 0; i < nodes.size(); i++)
			pls.push_back(i);
		std::make_heap(pls.begin(), pls.end(), cmp);
		while (true) {
			size_t r = pls.front();
			std::pop_heap(pls.begin(), pls.end(), cmp);
			pls.pop_back();
			size_t l = pls.front();
			double lest = nodes[l].est, rest = nodes[r].est;
			double est = lest + rest - (lest * rest / dbsize);
			nodes.emplace_back();
			OrNode &j = nodes.back();
			// OrPostList::get_termfreq_est's own rounding, kept as it is
			j.est = static_cast<Xapian::doccount>(est + 0.5); // NOLINT(bugprone-incorrect-roundings)
			or_join(*nodes[l].docs, *nodes[r].docs, j.own);
			j.docs = &j.own;
			// the joined lists are not read again
			WeighedDocs().swap(nodes[l].own);
			WeighedDocs().swap(nodes[r].own);
			if (pls.size() == 1) {
				root = nodes.size() - 1;
				break;
			}
			std::pop_heap(pls.begin(), pls.end(), cmp);
			pls.back() = nodes.size() - 1;
			std::push_heap(pls.begin(), pls.end(), cmp);
		}
	}
	const WeighedDocs &all = *nodes[root].docs;
	*estimated = all.size(); // exact, where Enquire's is an estimate
	// the documents of weight at least the limit-th's, by weight (docid
	// order kept); then each run of equal weights by date key and docid
	WeighedDocs top;
	if (limit && limit < all.size()) {
		// the limit-th weight: the least of a heap of the limit largest
		std::vector<double> heap;
		heap.reserve(limit);
		for (auto &d : all) {
			if (heap.size() < limit) {
				heap.push_back(d.second);
				std::push_heap(heap.begin(), heap.end(), std::greater<double>());
			} else if (d.second > heap.front()) {
				std::pop_heap(heap.begin(), heap.end(), std::greater<double>());
				heap.back() = d.second;
				std::push_heap(heap.begin(), heap.end(), std::greater<double>());
			}
		}
		double wk = heap.front();
		for (auto &d : all)
			if (d.second >= wk)
				top.push_back(d);
	} else if (limit) {
		top = all;
	}
	std::stable_sort(top.begin(), top.end(), [](const std::pair<Xapian::docid, double> &a,
						    const std::pair<Xapian::docid, double> &b) {
		return a.second > b.second;
	});
	for (size_t i = 0; i < top.size() && i < limit;) {
		size_t e = i + 1;
		while (e < top.size() && top[e].second == top[i].second)
			e++;
		if (e - i > 1)
			order_ties(x, resident, top.begin() + (long)i, top.begin() + (long)e);
		i = e;
	}
	if (top.size() > limit)
		top.resize(limit);
	return copy_hits(x, top, true, skip, nskip, hits, n);
}

extern "C" kb_status xs_candidates(xs_db *x, const xs_term *terms, size_t nterms, const char *text,
				   const char *self_text, size_t limit, const unsigned *skip, size_t nskip,
				   xs_hit **hits, size_t *n, size_t *estimated, double *self, char *err,
				   size_t errsz)
{
	*hits = NULL;
	*n = 0;
	*estimated = 0;
	*self = 0;
	return guarded(x, err, errsz, [&]() {
		// the term statistics below and the query are of one revision
		fresh_reader(x);
		bool keep = kept_fresh(x);
		std::set<std::string> seen;
		std::set<std::string> fields; // field terms: wdf 1 in every case
		std::map<std::string, Xapian::termcount> qwdf; // a word's count as the index holds the text
		for (size_t i = 0; i < nterms; i++) {
			const kb_prefix *p = prefix_of(terms[i].field);
			if (!p || !terms[i].value || !*terms[i].value)
				continue;
			std::string t = make_term(p->prefix, terms[i].value);
			fields.insert(t);
			seen.insert(t);
		}
		if (self_text && *self_text) {
			Xapian::Document scratch = unstemmed_words(self_text);
			for (auto it = scratch.termlist_begin(); it != scratch.termlist_end(); ++it)
				qwdf[*it] = it.get_wdf();
		}
		if (text && *text) {
			// The words of the text, OR'd: QueryParser would AND the
			// n-grams of a Chinese run, too strict for prose.
			Xapian::Document scratch = unstemmed_words(text);
			size_t words = 0;
			for (auto it = scratch.termlist_begin(); it != scratch.termlist_end() && words < 2000; ++it)
				if (seen.insert(*it).second)
					words++;
		}
		// rarest first; terms no case holds cost nothing and match nothing
		std::vector<std::pair<Xapian::doccount, std::string>> by_df;
		for (auto &t : seen) { // in term order: neighbours share B-tree blocks
			Xapian::doccount df = term_df(x, t, keep);
			if (df)
				by_df.emplace_back(df, t);
		}
		std::sort(by_df.begin(), by_df.end());
		std::vector<Xapian::Query> parts;
		unsigned long spent = 0;
		// the weight of a duplicate of the query, as BM25Weight(1, 0, 1,
		// 0, 0.5) gives it (Xapian's idf, raised for a term in more
		// than a third of the documents, times (k1 + 1) wdf / (k1 +
		// wdf)): field terms are indexed once, words as the index
		// would hold the text (a word it leaves out, none)
		Xapian::doccount ndocs = x->db.get_doccount();
		double selfw = 0;
		std::vector<std::pair<Xapian::doccount, std::string>> chosen;
		for (auto &d : by_df) {
			if (parts.size() >= XS_MIN_TERMS && spent + d.first > XS_POSTING_BUDGET)
				break;
			spent += d.first;
			parts.emplace_back(d.second);
			chosen.push_back(d);
			auto w = qwdf.find(d.second);
			double wdf = fields.count(d.second) ? 1.0 : w == qwdf.end() ? 0.0 : (double)w->second;
			selfw += bm25_termweight(ndocs, d.first) * wdf / (1.0 + wdf);
		}
		*self = selfw;
		if (parts.empty())
			return KB_OK;
		if (direct_ok(x))
			return direct_candidates(x, chosen, keep, limit, skip, nskip, hits, n, estimated);
		Xapian::Query q(Xapian::Query::OP_OR, parts.begin(), parts.end());
		return run_query(x, q, 0, limit, true, skip, nskip, hits, n, estimated);
	});
}

extern "C" kb_status xs_termfreq(xs_db *x, const char *field, const char *value,
				 unsigned long *df, unsigned long *ndocs, char *err, size_t errsz)
{
	*df = 0;
	*ndocs = 0;
	return guarded(x, err, errsz, [&]() {
		const kb_prefix *p = prefix_of(field);
		if (!p)
			throw Xapian::InvalidArgumentError(std::string("no field '") + field + "'");
		*df = term_df(x, make_term(p->prefix, value), kept_fresh(x));
		*ndocs = x->db.get_doccount();
		return KB_OK;
	});
}

extern "C" kb_status xs_word_df(xs_db *x, const char *word, unsigned long *df, char *err,
			       size_t errsz)
{
	*df = 0;
	return guarded(x, err, errsz, [&]() {
		std::string w = Xapian::Unicode::tolower(std::string(word));
		Xapian::Stem stem("en");
		bool keep = kept_fresh(x);
		*df = std::max(term_df(x, w, keep), term_df(x, "Z" + stem(w), keep));
		return KB_OK;
	});
}

extern "C" kb_status xs_revision(xs_db *x, unsigned long long *rev, char *err, size_t errsz)
{
	*rev = 0;
	return guarded(x, err, errsz, [&]() {
		if (x->db.size() != 1)
			throw Xapian::InvalidOperationError("several indexes: no one revision");
		// a glass revision is 32 bits; the swaps above them
		*rev = (x->swaps << 32) | (unsigned long long)x->db.get_revision();
		return KB_OK;
	});
}

extern "C" kb_status xs_doccount(xs_db *x, unsigned long *ndocs, char *err, size_t errsz)
{
	*ndocs = 0;
	return guarded(x, err, errsz, [&]() {
		*ndocs = x->db.get_doccount();
		return KB_OK;
	});
}
