# compare.jq - the parts of `pmkb show --json` that must not depend on the
# source format: ids, fields, messages (sender, date), analyses, next steps.
{case, title, customer, priority, refs, status, first_date, last_date,
 messages: [.messages[] | {sender, sent}],
 analyses: [.analyses[] | {message, hash, bugcheck, dump_name, frames: (.frames|length)}],
 next_steps, conclusions}
