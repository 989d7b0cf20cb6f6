/* antenna-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "antenna-error.h"

G_DEFINE_QUARK (antenna-error-quark, antenna_error)
