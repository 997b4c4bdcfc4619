#ifndef PODCAST_I2V_LINE_EDITOR_H
#define PODCAST_I2V_LINE_EDITOR_H
// A line editor over libedit's native API (history, emacs keys, completion). Its el_set and
// history calls are variadic, which Swift cannot call; this file is their typed face.

#ifdef __cplusplus
extern "C" {
#endif

// Completion: given the text before the cursor, fill `*start` with the offset where the word
// being completed begins and return `*count` candidates (malloc'd array of malloc'd strings,
// each a full replacement of that word); the editor frees them.
typedef char **(*ple_complete_fn)(const char *before_cursor, int *start, int *count);

typedef struct ple_editor ple_editor;

ple_editor *ple_open(const char *program, const char *history_path, int history_size);
void ple_close(ple_editor *e);
void ple_set_completer(ple_editor *e, ple_complete_fn fn);

// Reads one line (without its newline). Returns a malloc'd string the caller frees, or NULL
// with *status: 0 end of input (Ctrl-D), 1 interrupted (Ctrl-C: the line is discarded), 2 error.
char *ple_read(ple_editor *e, const char *prompt, int *status);

// Adds an entry (a multi-line chunk is one entry) and saves the history file.
void ple_add_history(ple_editor *e, const char *entry);
int ple_history_count(ple_editor *e);

#ifdef __cplusplus
}
#endif
#endif
