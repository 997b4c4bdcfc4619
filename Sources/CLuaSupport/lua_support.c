#include "lua_support.h"

#include <signal.h>
#include <string.h>

int plua_registryindex(void) { return LUA_REGISTRYINDEX; }
int plua_upvalueindex(int i) { return lua_upvalueindex(i); }
void plua_pop(lua_State *L, int n) { lua_pop(L, n); }
void plua_newtable(lua_State *L) { lua_newtable(L); }
const char *plua_tostring(lua_State *L, int idx, size_t *len) { return lua_tolstring(L, idx, len); }
int plua_isnoneornil(lua_State *L, int idx) { return lua_isnoneornil(L, idx); }
int plua_pcall(lua_State *L, int nargs, int nresults, int msgh) { return lua_pcall(L, nargs, nresults, msgh); }
void plua_insert(lua_State *L, int idx) { lua_insert(L, idx); }
void plua_remove(lua_State *L, int idx) { lua_remove(L, idx); }
void plua_replace(lua_State *L, int idx) { lua_replace(L, idx); }
const char *plua_typename_at(lua_State *L, int idx) { return luaL_typename(L, idx); }
int plua_multret(void) { return LUA_MULTRET; }

void plua_set_owner(lua_State *L, void *owner) { *(void **)lua_getextraspace(L) = owner; }
void *plua_get_owner(lua_State *L) { return *(void **)lua_getextraspace(L); }

static plua_dispatch_fn dispatcher;

void plua_set_dispatcher(plua_dispatch_fn fn) { dispatcher = fn; }

#define ERROR_TYPE "podcast-i2v.error"
#define LAST_KIND "podcast-i2v.last-error-kind"

// The metatable's methods, in Lua: an error object reads as its message wherever a string
// error would (print, tostring, .., string.format's %s, e:find(...)).
static const char *error_type_source =
    "local mt = ...\n"
    "mt.__tostring = function(e) return rawget(e, 'message') end\n"
    "local function text(v) if getmetatable(v) == mt then return rawget(v, 'message') end return v end\n"
    // Not tostring(): Lua 5.4.4 loses a 3-operand concat whose __concat calls a __tostring.
    "mt.__concat = function(a, b) return text(a) .. text(b) end\n"
    "mt.__len = function(e) return #rawget(e, 'message') end\n"
    "mt.__index = function(e, k)\n"
    "  local f = string[k]\n"
    "  if f then return function(self, ...) return f(rawget(self, 'message'), ...) end end\n"
    "end\n"
    "mt.__name = 'error'\n";

void plua_install_error_type(lua_State *L) {
    luaL_newmetatable(L, ERROR_TYPE);
    if (luaL_loadstring(L, error_type_source) == LUA_OK) {
        lua_pushvalue(L, -2);
        if (lua_pcall(L, 1, 0, 0) != LUA_OK) lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

void plua_push_error(lua_State *L, const char *message, size_t len, const char *kind) {
    lua_createtable(L, 0, 2);
    lua_pushlstring(L, message, len);
    lua_setfield(L, -2, "message");
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "kind");
    luaL_setmetatable(L, ERROR_TYPE);
}

static int trampoline(lua_State *L) {
    int id = (int)lua_tointeger(L, lua_upvalueindex(1));
    int n = dispatcher ? dispatcher(L, id) : (lua_pushliteral(L, "no Swift dispatcher"), lua_pushliteral(L, "other"), -1);
    if (n >= 0) return n;
    // Swift has returned: raising is safe now. Prefix the Lua caller's position, as luaL_error does.
    luaL_where(L, 1);                 // message, kind, where
    lua_pushvalue(L, -3);
    lua_concat(L, 2);                 // message, kind, where..message
    size_t len;
    const char *message = lua_tolstring(L, -1, &len);
    plua_push_error(L, message, len, lua_tostring(L, -2));
    return lua_error(L);
}

void plua_push_primitive(lua_State *L, int id) {
    lua_pushinteger(L, id);
    lua_pushcclosure(L, trampoline, 1);
}

int plua_load(lua_State *L, const char *code, size_t len, const char *chunkname) {
    return luaL_loadbufferx(L, code, len, chunkname, "t");
}

static int msghandler(lua_State *L) {
    // Remember the error's kind for the host: the traceback below is a plain string.
    if (lua_type(L, 1) == LUA_TTABLE && lua_getmetatable(L, 1)) {
        luaL_getmetatable(L, ERROR_TYPE);
        int ours = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
        if (ours) {
            lua_getfield(L, 1, "kind");
            lua_setfield(L, LUA_REGISTRYINDEX, LAST_KIND);
            lua_getfield(L, 1, "message");
            lua_replace(L, 1);
        }
    }
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int plua_docall(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LAST_KIND);
    plua_sigint_run_mode(L);
    int status = lua_pcall(L, nargs, nresults, base);
    plua_sigint_prompt_mode();
    lua_sethook(L, NULL, 0, 0);  // a Ctrl-C that came as the chunk ended must not hit the next one
    lua_remove(L, base);
    return status;
}

const char *plua_last_error_kind(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, LAST_KIND);
    // The registry keeps the string alive after the pop.
    const char *kind = lua_tostring(L, -1);
    lua_pop(L, 1);
    return kind;
}

void **plua_new_object(lua_State *L, void *object, const char *tname) {
    void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = object;
    luaL_setmetatable(L, tname);
    return slot;
}

void **plua_test_object(lua_State *L, int idx, const char *tname) {
    return (void **)luaL_testudata(L, idx, tname);
}

int plua_metatable(lua_State *L, const char *tname) { return luaL_newmetatable(L, tname); }

/* ---- Ctrl-C ---- */

static volatile sig_atomic_t interrupt_pending;
static lua_State *volatile running_state;

static void stop_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    // The same error object (kind "interrupted") as a Swift primitive stopped by Ctrl-C raises.
    luaL_where(L, 1);
    lua_pushliteral(L, "interrupted!");
    lua_concat(L, 2);
    size_t len;
    const char *message = lua_tolstring(L, -1, &len);
    plua_push_error(L, message, len, "interrupted");
    lua_error(L);
}

static void install(void (*handler)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a blocked terminal read must return EINTR
    sigaction(SIGINT, &sa, NULL);
}

static void on_sigint_prompt(int sig) {
    (void)sig;
    interrupt_pending = 1;
}

static void on_sigint_run(int sig) {
    // Default action first: a second Ctrl-C before this one is handled ends the program.
    signal(sig, SIG_DFL);
    interrupt_pending = 1;
    lua_State *L = running_state;
    if (L) lua_sethook(L, stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

void plua_sigint_prompt_mode(void) {
    running_state = NULL;
    install(on_sigint_prompt);
}

void plua_sigint_run_mode(lua_State *L) {
    interrupt_pending = 0;
    running_state = L;
    install(on_sigint_run);
}

int plua_interrupt_pending(void) { return interrupt_pending != 0; }
void plua_interrupt_clear(void) { interrupt_pending = 0; }
void plua_interrupt_raise(void) { raise(SIGINT); }
