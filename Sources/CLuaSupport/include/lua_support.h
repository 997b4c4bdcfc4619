#ifndef PODCAST_I2V_LUA_SUPPORT_H
#define PODCAST_I2V_LUA_SUPPORT_H
// C helpers for the Swift Lua bridge.
//
// Lua raises errors with longjmp. A longjmp across Swift frames is undefined behaviour, so
// Swift never raises: a primitive written in Swift returns -1 with its message on the stack,
// and the C trampoline below raises after Swift has returned.

#include <stddef.h>
#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>

#ifdef __cplusplus
extern "C" {
#endif

// Function-like macros of lua.h that Swift cannot import.
int plua_registryindex(void);
int plua_upvalueindex(int i);
void plua_pop(lua_State *L, int n);
void plua_newtable(lua_State *L);
const char *plua_tostring(lua_State *L, int idx, size_t *len);
int plua_isnoneornil(lua_State *L, int idx);
int plua_pcall(lua_State *L, int nargs, int nresults, int msgh);
void plua_insert(lua_State *L, int idx);
void plua_remove(lua_State *L, int idx);
void plua_replace(lua_State *L, int idx);
const char *plua_typename_at(lua_State *L, int idx);
int plua_multret(void);

// The lua_State's extra space holds a pointer to its Swift owner.
void plua_set_owner(lua_State *L, void *owner);
void *plua_get_owner(lua_State *L);

// Every Swift primitive is reached through one C trampoline holding the primitive's id.
// The dispatcher returns the number of results, or -1 with an error message and its kind
// (a string such as "media", "interrupted") on top of the stack; the trampoline then raises an
// error object (with the caller's `file:line:` prefix in its message).
typedef int (*plua_dispatch_fn)(lua_State *L, int id);
void plua_set_dispatcher(plua_dispatch_fn fn);
void plua_push_primitive(lua_State *L, int id);

// Loads a chunk: protected, never raises. Returns a lua status.
int plua_load(lua_State *L, const char *code, size_t len, const char *chunkname);
// Calls the function below `nargs` arguments with a message handler that appends a traceback;
// never raises; honours Ctrl-C through the interrupt machinery below.
int plua_docall(lua_State *L, int nargs, int nresults);

// Error objects: tables {message = "...", kind = "..."} whose metatable makes them read as
// their message (tostring, .., print, and string methods such as e:find). Lua code asks
// `e.kind` (nil for a plain string error). Installed once per state.
void plua_install_error_type(lua_State *L);
// Pushes a new error object.
void plua_push_error(lua_State *L, const char *message, size_t len, const char *kind);
// The kind of the last error plua_docall caught (NULL when it had none, e.g. error("text")).
const char *plua_last_error_kind(lua_State *L);

// Userdata holding one pointer (a retained Swift object); NULL once closed.
void **plua_new_object(lua_State *L, void *object, const char *tname);
void **plua_test_object(lua_State *L, int idx, const char *tname);
// Pushes the metatable named tname, creating it if needed; returns 1 when created.
int plua_metatable(lua_State *L, const char *tname);

// Ctrl-C. While a chunk runs, SIGINT arms a hook that raises "interrupted!" inside the VM
// (as lua.c does) and sets a flag that long-running Swift work polls; the handler restores
// the default action, so a second Ctrl-C before the first was handled ends the program.
// At the prompt SIGINT only sets the flag (and interrupts the terminal read).
void plua_sigint_prompt_mode(void);
void plua_sigint_run_mode(lua_State *L);
int plua_interrupt_pending(void);
void plua_interrupt_clear(void);
void plua_interrupt_raise(void);  // for tests and for work that wants to stop the chunk

#ifdef __cplusplus
}
#endif
#endif
