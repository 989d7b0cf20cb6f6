/* antenna-load-test-window.c: the load test of a connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-load-test-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-load-link.h"
#include "antenna-load-test.h"
#include "antenna-load-test-window.h"
#include "antenna-profile.h"
#include "antenna-secret-store.h"

struct _AntennaLoadTestWindow
{
  AdwWindow        parent_instance;

  /* Template Widgets */
  GtkButton       *start_button;
  GtkButton       *stop_button;
  GtkSpinButton   *count_spin;
  GtkSpinButton   *seconds_spin;
  GtkSpinButton   *rate_spin;
  AdwEntryRow     *prefix_row;
  GtkSpinButton   *topics_spin;
  GtkSpinButton   *size_spin;
  AdwComboRow     *qos_row;
  GtkSpinButton   *connections_spin;
  GtkSwitch       *latency_switch;
  GtkScrolledWindow *scroller;
  GtkDrawingArea  *chart;
  GtkLabel        *summary_label;

  /* Owned References */
  AntennaClient   *client;
  char            *password;
  GPtrArray       *extra;        /* AntennaClient: the extra connections */
  guint            connecting;
  AntennaLoadTest *load;
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (AntennaLoadTestWindow, antenna_load_test_window, ADW_TYPE_WINDOW)

static void
set_running (AntennaLoadTestWindow *self,
             gboolean               running)
{
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), running);
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  AntennaLoadTestWindow *self = user_data;
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (area));
  GdkRGBA color;
  g_autoptr(PangoLayout) layout = NULL;
  GArray *rates;
  double max = 1;
  int top;

  if (self->load == NULL)
    return;
  rates = antenna_load_test_get_rates (self->load);
  if (rates->len == 0)
    return;
  for (guint i = 0; i < rates->len; i++)
    max = MAX (max, g_array_index (rates, double, i));

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (style, &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* the scale, above the line: the chart's top is the highest rate */
  {
    /* TRANSLATORS: the highest rate of a load test's chart, at its top */
    g_autofree char *text = g_strdup_printf (_("%.0f messages/s"), max);
    GdkRGBA dim = color;

    layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), text);
    pango_layout_get_pixel_size (layout, NULL, &top);
    top += 8;
    dim.alpha *= 0.7;
    gdk_cairo_set_source_rgba (cr, &dim);
    cairo_move_to (cr, 8, 4);
    pango_cairo_show_layout (cr, layout);
  }

  gdk_cairo_set_source_rgba (cr, &color);
  cairo_set_line_width (cr, 2);
  for (guint i = 0; i < rates->len; i++)
    {
      /* one sample (a test shorter than the interval): a level line */
      double x = rates->len > 1 ? 6 + (width - 12) * (double) i / (rates->len - 1) : 6;
      double y = height - 6 - (height - 6 - top) * g_array_index (rates, double, i) / max;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
      if (rates->len == 1)
        cairo_line_to (cr, width - 6, y);
    }
  cairo_stroke (cr);
}

static gboolean
scroll_down_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  return G_SOURCE_REMOVE;
}

/* The chart and the summary under the options, in view: on a screen of
 * ordinary height they are below the fold. After the next layout, when the
 * summary has its new length. */
static void
show_results (AntennaLoadTestWindow *self)
{
  gtk_widget_add_tick_callback (GTK_WIDGET (self->scroller), scroll_down_cb, NULL, NULL);
}

static void
show_summary (AntennaLoadTestWindow *self)
{
  g_autofree char *summary = antenna_load_test_dup_summary (self->load);

  gtk_label_set_label (self->summary_label, summary);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
drop_extra (AntennaLoadTestWindow *self)
{
  for (guint i = 0; i < self->extra->len; i++)
    antenna_client_disconnect_async (g_ptr_array_index (self->extra, i), NULL, NULL, NULL);
  g_ptr_array_set_size (self->extra, 0);
}

static void
on_run_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AntennaLoadTestWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (ANTENNA_LOAD_TEST (object) != self->load)
    return;

  show_summary (self);
  if (!antenna_load_test_run_finish (ANTENNA_LOAD_TEST (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_label_set_label (self->summary_label, error->message);
  drop_extra (self);
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
  show_results (self);
}

static void
run (AntennaLoadTestWindow *self)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new ();
  g_autofree char *prefix = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->prefix_row)));
  AntennaLoadTestOptions options = {
    .count = (guint64) gtk_spin_button_get_value (self->count_spin),
    .duration_s = gtk_spin_button_get_value_as_int (self->seconds_spin),
    .rate = gtk_spin_button_get_value (self->rate_spin),
    .topics = gtk_spin_button_get_value_as_int (self->topics_spin),
    .prefix = prefix,
    .payload_size = gtk_spin_button_get_value_as_int (self->size_spin),
    .qos = adw_combo_row_get_selected (self->qos_row),
    .measure_latency = gtk_switch_get_active (self->latency_switch),
    /* the test's own connections, when it can make them (else the extra clients) */
    .connections = self->extra->len > 0 ? 0 : gtk_spin_button_get_value_as_int (self->connections_spin),
  };

  g_ptr_array_add (clients, self->client);
  for (guint i = 0; i < self->extra->len; i++)
    g_ptr_array_add (clients, g_ptr_array_index (self->extra, i));

  g_clear_object (&self->load);
  self->load = antenna_load_test_new (clients, &options);
  g_signal_connect_object (self->load, "progress", G_CALLBACK (show_summary), self, G_CONNECT_SWAPPED);
  antenna_load_test_run_async (self->load, self->cancellable, on_run_cb, g_object_ref (self));
}

static void
on_extra_connected_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(AntennaLoadTestWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_client_connect_finish (ANTENNA_CLIENT (object), result, &error) &&
      self->cancellable != NULL && !g_cancellable_is_cancelled (self->cancellable))
    {
      g_autofree char *text = g_strdup_printf (_("An extra connection failed: %s"), error->message);

      g_cancellable_cancel (self->cancellable);
      gtk_label_set_label (self->summary_label, text);
    }

  if (--self->connecting > 0)
    return;
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      drop_extra (self);
      g_clear_object (&self->cancellable);
      set_running (self, FALSE);
      return;
    }
  run (self);
}

/* The extra connections: the same profile, their own client ids, no
 * subscriptions of their own, no reconnection. */
static void
connect_extra (AntennaLoadTestWindow *self,
               guint                  n,
               const char            *password)
{
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(AntennaProfile) profile = antenna_profile_copy (antenna_client_get_profile (self->client));
      g_autofree char *id = g_strdup_printf ("%s-load-%u", antenna_client_get_client_id (self->client), i);
      AntennaClient *client;

      antenna_profile_set_client_id (profile, id);
      antenna_profile_set_auto_reconnect (profile, FALSE);
      while (g_list_model_get_n_items (antenna_profile_get_subscriptions (profile)) > 0)
        antenna_profile_remove_subscription (profile, 0);
      client = antenna_client_new (profile);
      /* the key passphrase and the proxy password from the same keyring,
       * under the same profile id, as the page's connection gets them */
      antenna_client_set_secret_store (client, antenna_client_get_secret_store (self->client));
      g_ptr_array_add (self->extra, client);
      self->connecting++;
      if (password != NULL)
        antenna_client_connect_async (client, password, self->cancellable,
                                      on_extra_connected_cb, g_object_ref (self));
      else
        /* what the page's connection was given: typed, or none */
        antenna_client_connect_like_async (client, self->client, self->cancellable,
                                           on_extra_connected_cb, g_object_ref (self));
    }
}

static void
fail_to_start (AntennaLoadTestWindow *self,
               const char            *text)
{
  gtk_label_set_label (self->summary_label, text);
  show_results (self);
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
}

typedef struct
{
  AntennaLoadTestWindow *self;
  guint                  n;
} Lookup;

static void
on_password_looked_up_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(AntennaLoadTestWindow) self = lookup->self;
  guint n = lookup->n;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = antenna_profile_dup_display_name (antenna_client_get_profile (self->client));
  char *password;

  g_free (lookup);
  password = antenna_secret_store_lookup_finish (ANTENNA_SECRET_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL ||
      g_cancellable_is_cancelled (self->cancellable))
    {
      g_free (password);
      if (self->cancellable != NULL)
        fail_to_start (self, _("Stopped."));
      return;
    }

  if (error != NULL)
    {
      /* TRANSLATORS: %s is a connection's name, then the keyring's own sentence ("The keyring is locked. …") */
      g_autofree char *text = g_strdup_printf (_("The extra connections need the password of “%s” from the keyring: %s"),
                                               name, error->message);

      fail_to_start (self, text);
      return;
    }
  if (password == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The extra connections need the password of “%s”, and the keyring has none: save it in the connection’s settings."),
                                               name);

      fail_to_start (self, text);
      return;
    }

  connect_extra (self, n, password);
  memset (password, 0, strlen (password));
  g_free (password);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  AntennaLoadTestWindow *self = ANTENNA_LOAD_TEST_WINDOW (widget);
  AntennaProfile *profile = antenna_client_get_profile (self->client);
  AntennaSecretStore *secrets = antenna_client_get_secret_store (self->client);
  const char *username = antenna_profile_get_username (profile);
  guint n = gtk_spin_button_get_value_as_int (self->connections_spin);

  if (self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  gtk_label_set_label (self->summary_label, _("Starting…"));
  show_results (self);

  /* The load test makes its own connections like the page's where it can;
   * else extra clients of the same profile, each with its Paho. */
  if (n <= 1 || antenna_load_link_can_stand_for (self->client, NULL))
    {
      run (self);
      return;
    }

  /* The password as the page's connection gets it: from the keyring when
   * it is saved there (a locked keyring says so), else what was typed. */
  if (self->password == NULL && username != NULL && username[0] != '\0' &&
      antenna_profile_get_save_password (profile) && secrets != NULL)
    {
      Lookup *lookup = g_new0 (Lookup, 1);

      lookup->self = g_object_ref (self);
      lookup->n = n;
      gtk_label_set_label (self->summary_label, _("Reading the password from the keyring…"));
      antenna_secret_store_lookup_async (secrets, profile, self->cancellable, on_password_looked_up_cb, lookup);
      return;
    }

  connect_extra (self, n, self->password);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AntennaLoadTestWindow *self = ANTENNA_LOAD_TEST_WINDOW (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AntennaLoadTestWindow *self = ANTENNA_LOAD_TEST_WINDOW (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), gtk_label_get_label (self->summary_label));
}

static void
antenna_load_test_window_dispose (GObject *object)
{
  AntennaLoadTestWindow *self = ANTENNA_LOAD_TEST_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->extra != NULL)
    drop_extra (self);
  g_clear_pointer (&self->extra, g_ptr_array_unref);
  g_clear_object (&self->load);
  g_clear_object (&self->client);
  if (self->password != NULL)
    {
      memset (self->password, 0, strlen (self->password));
      g_clear_pointer (&self->password, g_free);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_LOAD_TEST_WINDOW);

  G_OBJECT_CLASS (antenna_load_test_window_parent_class)->dispose (object);
}

static void
antenna_load_test_window_class_init (AntennaLoadTestWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_load_test_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-load-test-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, count_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, seconds_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, topics_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, size_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, qos_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, connections_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, latency_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, chart);
  gtk_widget_class_bind_template_child (widget_class, AntennaLoadTestWindow, summary_label);

  gtk_widget_class_install_action (widget_class, "load.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "load.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "load.copy", NULL, copy_action);
}

static void
antenna_load_test_window_init (AntennaLoadTestWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->extra = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
}

GtkWidget *
antenna_load_test_window_new (AntennaClient *client,
                              const char    *password)
{
  AntennaLoadTestWindow *self;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);

  self = g_object_new (ANTENNA_TYPE_LOAD_TEST_WINDOW, NULL);
  self->client = g_object_ref (client);
  self->password = g_strdup (password);
  return GTK_WIDGET (self);
}

void
antenna_load_test_window_set_options (AntennaLoadTestWindow *self,
                                      guint64                count,
                                      guint                  topics,
                                      guint                  payload_size,
                                      int                    qos,
                                      guint                  connections,
                                      gboolean               measure_latency)
{
  g_return_if_fail (ANTENNA_IS_LOAD_TEST_WINDOW (self));

  gtk_spin_button_set_value (self->count_spin, (double) count);
  gtk_spin_button_set_value (self->topics_spin, topics);
  gtk_spin_button_set_value (self->size_spin, payload_size);
  adw_combo_row_set_selected (self->qos_row, qos);
  gtk_spin_button_set_value (self->connections_spin, connections);
  gtk_switch_set_active (self->latency_switch, measure_latency);
}

const char *
antenna_load_test_window_get_summary (AntennaLoadTestWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_LOAD_TEST_WINDOW (self), NULL);

  return gtk_label_get_label (self->summary_label);
}

gboolean
antenna_load_test_window_get_running (AntennaLoadTestWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_LOAD_TEST_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}
