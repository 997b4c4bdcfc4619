#ifndef PODCAST_I2V_CLUA_SHIM_H
#define PODCAST_I2V_CLUA_SHIM_H
// Debian's liblua5.4-dev keeps its headers in /usr/include/lua5.4.
#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>
#endif
