#ifndef PODCAST_I2V_CLIBEDIT_SHIM_H
#define PODCAST_I2V_CLIBEDIT_SHIM_H
#include <stdio.h>
#include <histedit.h>
#endif
