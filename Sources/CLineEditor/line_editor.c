#include "line_editor.h"

#include <errno.h>
#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ple_editor {
    EditLine *el;
    History *hist;
    HistEvent ev;
    char *history_path;
    char *prompt;
    ple_complete_fn complete;
};

static char *prompt_of(EditLine *el) {
    ple_editor *e = NULL;
    el_get(el, EL_CLIENTDATA, &e);
    return e && e->prompt ? e->prompt : "";
}

static size_t common_prefix(char **items, int n) {
    size_t len = strlen(items[0]);
    for (int i = 1; i < n; i++) {
        size_t j = 0;
        while (j < len && items[i][j] == items[0][j]) j++;
        len = j;
    }
    return len;
}

static void list_candidates(char **items, int n) {
    size_t width = 0;
    for (int i = 0; i < n; i++) if (strlen(items[i]) > width) width = strlen(items[i]);
    width += 2;
    int per_line = (int)(80 / width);
    if (per_line < 1) per_line = 1;
    fputc('\n', stdout);
    for (int i = 0; i < n; i++) {
        fprintf(stdout, "%-*s", (int)width, items[i]);
        if ((i + 1) % per_line == 0 || i == n - 1) fputc('\n', stdout);
    }
    fflush(stdout);
}

static unsigned char complete_key(EditLine *el, int ch) {
    (void)ch;
    ple_editor *e = NULL;
    el_get(el, EL_CLIENTDATA, &e);
    if (!e || !e->complete) return CC_ERROR;
    const LineInfo *li = el_line(el);
    size_t before_len = (size_t)(li->cursor - li->buffer);
    char *before = malloc(before_len + 1);
    if (!before) return CC_ERROR;
    memcpy(before, li->buffer, before_len);
    before[before_len] = '\0';

    int start = (int)before_len, count = 0;
    char **items = e->complete(before, &start, &count);
    unsigned char result = CC_ERROR;
    if (items && count > 0 && start >= 0 && (size_t)start <= before_len) {
        size_t typed = before_len - (size_t)start;
        size_t prefix = common_prefix(items, count);
        if (prefix > typed) {
            el_deletestr(el, (int)typed);
            char saved = items[0][prefix];
            items[0][prefix] = '\0';
            el_insertstr(el, items[0]);
            items[0][prefix] = saved;
            result = CC_REFRESH;
        } else if (count > 1) {
            list_candidates(items, count);
            result = CC_REDISPLAY;
        }
    }
    for (int i = 0; i < count; i++) free(items[i]);
    free(items);
    free(before);
    return result;
}

ple_editor *ple_open(const char *program, const char *history_path, int history_size) {
    ple_editor *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->el = el_init(program, stdin, stdout, stderr);
    if (!e->el) { free(e); return NULL; }
    e->hist = history_init();
    history(e->hist, &e->ev, H_SETSIZE, history_size > 0 ? history_size : 1000);
    history(e->hist, &e->ev, H_SETUNIQUE, 1);
    if (history_path) {
        e->history_path = strdup(history_path);
        history(e->hist, &e->ev, H_LOAD, history_path);
    }
    el_set(e->el, EL_CLIENTDATA, e);
    el_set(e->el, EL_EDITOR, "emacs");
    el_set(e->el, EL_HIST, history, e->hist);
    el_set(e->el, EL_PROMPT, prompt_of);
    el_set(e->el, EL_ADDFN, "pi-complete", "Complete the Lua name before the cursor", complete_key);
    el_set(e->el, EL_BIND, "^I", "pi-complete", NULL);
    el_source(e->el, NULL);  // ~/.editrc, as every libedit program honours it
    return e;
}

void ple_close(ple_editor *e) {
    if (!e) return;
    el_end(e->el);
    history_end(e->hist);
    free(e->history_path);
    free(e->prompt);
    free(e);
}

void ple_set_completer(ple_editor *e, ple_complete_fn fn) { if (e) e->complete = fn; }

char *ple_read(ple_editor *e, const char *prompt, int *status) {
    free(e->prompt);
    e->prompt = strdup(prompt ? prompt : "");
    int count = 0;
    errno = 0;
    const char *line = el_gets(e->el, &count);
    if (line == NULL) {
        int interrupted = count < 0 && errno == EINTR;
        if (interrupted) {
            el_reset(e->el);
            // Drop what was typed: the next el_gets must start from an empty line.
            const LineInfo *li = el_line(e->el);
            el_cursor(e->el, (int)(li->lastchar - li->cursor));
            el_deletestr(e->el, (int)(li->lastchar - li->buffer));
        }
        *status = interrupted ? 1 : (count < 0 ? 2 : 0);
        return NULL;
    }
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    char *copy = malloc(len + 1);
    memcpy(copy, line, len);
    copy[len] = '\0';
    *status = 0;
    return copy;
}

void ple_add_history(ple_editor *e, const char *entry) {
    if (!e || !entry || !*entry) return;
    history(e->hist, &e->ev, H_ENTER, entry);
    if (e->history_path) history(e->hist, &e->ev, H_SAVE, e->history_path);
}

int ple_history_count(ple_editor *e) {
    if (!e) return 0;
    return history(e->hist, &e->ev, H_GETSIZE) == 0 ? e->ev.num : 0;
}
