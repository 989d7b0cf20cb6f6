/* antenna-renderer.c: GTK's cairo renderer where GL is drawn on the CPU
 *
 * GTK 4.8's default renderer is GL. Without a GPU (a virtual machine, a
 * remote desktop, Xvfb) Mesa draws GL on the CPU with llvmpipe, and there
 * every frame of the window costs 150–700 ms during a flood where the cairo
 * renderer takes 20–50 ms (bench/run-gui --renderer cairo,default; the
 * figures and the reasons are in bench/README.md): the main loop stalls for
 * as long, and a person waits that long for a click to show. So where GL is
 * a software rasterizer and nobody chose a renderer, Antenna asks for cairo.
 * GSK_RENDERER, when set, is always obeyed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-renderer"

#include "config.h"

#include <epoxy/gl.h>
#include <string.h>

#include "antenna-renderer.h"

gboolean
antenna_renderer_is_software_gl (const char *renderer)
{
  static const char * const software[] = { "llvmpipe", "softpipe", "swrast", "Software Rasterizer" };

  if (renderer == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (renderer, software[i]) != NULL)
      return TRUE;
  return FALSE;
}

gboolean
antenna_renderer_choose (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *renderer;
  gboolean software;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), FALSE);

  if (g_getenv ("GSK_RENDERER") != NULL)
    return FALSE;

  /* GTK's GL renderer would make this context's display set-up anyway. */
  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      /* No GL at all: GTK picks cairo itself. */
      g_debug ("No OpenGL: %s", error != NULL ? error->message : "no context");
      return FALSE;
    }
  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  software = antenna_renderer_is_software_gl (renderer);
  g_debug ("OpenGL renderer: %s", renderer != NULL ? renderer : "(none)");
  gdk_gl_context_clear_current ();

  if (!software)
    return FALSE;
  /* GTK reads it when the first window is realized. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  return TRUE;
}
