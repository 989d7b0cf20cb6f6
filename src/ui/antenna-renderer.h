/* antenna-renderer.h: GTK's cairo renderer where GL is drawn on the CPU
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Before the first window is realized: when GSK_RENDERER is not set and
 * the display's OpenGL is a software rasterizer (llvmpipe, softpipe,
 * swrast), sets GSK_RENDERER=cairo for this process. TRUE when it did. */
gboolean  antenna_renderer_choose          (GdkDisplay *display);
/* TRUE when @renderer (GL_RENDERER's string) names a software rasterizer. */
gboolean  antenna_renderer_is_software_gl  (const char *renderer);

G_END_DECLS
