/* A command interpreter over string literals in read-only data.
 *
 * The input is a command line "NAME ARG": NAME is looked up in a table of
 * { name, handler } pairs (the names are string literals, the handlers
 * function pointers: both are data-to-data relocations in .rodata), and the
 * handler runs on ARG through an indirect call (`callx`). Returns the
 * handler's result, or -1 for an unknown command.
 *
 *   len ARG     the length of ARG
 *   upper ARG   upper-cases ARG in place; returns the letters changed
 *   rev ARG     reverses ARG in place; returns its length
 *   vowels ARG  counts the vowels of ARG (against the literal "aeiouAEIOU")
 */
#include "common.h"

typedef s64 (*handler_fn)(u8 *arg, u64 len);

static NOINLINE u64 str_len(const char *s)
{
	u64 n = 0;
	while (s[n])
		n++;
	return n;
}

/* Whether the `len` bytes at `word` spell exactly the NUL-terminated `name`. */
static NOINLINE int word_is(const u8 *word, u64 len, const char *name)
{
	if (str_len(name) != len)
		return 0;
	for (u64 i = 0; i < len; i++)
		if (word[i] != (u8)name[i])
			return 0;
	return 1;
}

static NOINLINE s64 cmd_len(u8 *arg, u64 len)
{
	(void)arg;
	return (s64)len;
}

static NOINLINE s64 cmd_upper(u8 *arg, u64 len)
{
	s64 changed = 0;
	for (u64 i = 0; i < len; i++) {
		if (arg[i] >= 'a' && arg[i] <= 'z') {
			arg[i] -= 'a' - 'A';
			changed++;
		}
	}
	return changed;
}

static NOINLINE s64 cmd_rev(u8 *arg, u64 len)
{
	for (u64 i = 0, j = len; i + 1 < j; i++, j--) {
		u8 t = arg[i];
		arg[i] = arg[j - 1];
		arg[j - 1] = t;
	}
	return (s64)len;
}

static const char vowel_set[] = "aeiouAEIOU";

static NOINLINE s64 cmd_vowels(u8 *arg, u64 len)
{
	s64 count = 0;
	for (u64 i = 0; i < len; i++)
		for (const char *v = vowel_set; *v; v++)
			if (arg[i] == (u8)*v)
				count++;
	return count;
}

struct command {
	const char *name;
	handler_fn run;
};

static const struct command commands[] = {
	{ "len", cmd_len },
	{ "upper", cmd_upper },
	{ "rev", cmd_rev },
	{ "vowels", cmd_vowels },
};

SEC("socket")
s64 run_command(u8 *line, u64 len)
{
	u64 word = 0;
	while (word < len && line[word] != ' ')
		word++;
	u8 *arg = line + word;
	u64 arg_len = 0;
	if (word < len) {
		arg++;
		arg_len = len - word - 1;
	}
	for (u64 i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (word_is(line, word, commands[i].name))
			return commands[i].run(arg, arg_len);
	return -1;
}
