#include "agent/window.hpp"

#include <FL/Fl.H>
#include <FL/Fl_Box.H>
#include <FL/Fl_Button.H>
#include <FL/Fl_Input.H>
#include <FL/Fl_Return_Button.H>
#include <FL/Fl_Text_Buffer.H>
#include <FL/Fl_Text_Display.H>
#include <FL/Fl_Window.H>

#include "agent/interrupt.hpp"

namespace openassist::agent {

struct window_ui::widgets {
  window_ui* owner = nullptr;
  Fl_Window* main = nullptr;
  Fl_Box* status = nullptr;
  Fl_Box* control = nullptr;
  Fl_Text_Buffer* chat = nullptr;
  Fl_Text_Display* chat_view = nullptr;
  Fl_Input* input = nullptr;
  Fl_Return_Button* send = nullptr;
  Fl_Button* share = nullptr;
  Fl_Button* stop_control = nullptr;
  Fl_Window* ask = nullptr;
  Fl_Box* ask_text = nullptr;
  std::string status_text, control_text, ask_label;
  bool sharing = false;
  bool ended = false;
};

namespace {

using widgets = window_ui::widgets;

void on_send(Fl_Widget*, void* data) {
  auto* w = static_cast<widgets*>(data);
  std::string text = w->input->value();
  if (text.empty() || w->ended)
    return;
  w->input->value("");
  w->owner->send_chat(text);
}

void on_share(Fl_Widget*, void* data) {
  auto* w = static_cast<widgets*>(data);
  w->owner->share_clicked(!w->sharing);
}

void on_stop_control(Fl_Widget*, void* data) {
  static_cast<widgets*>(data)->owner->stop_control_clicked();
}

void on_allow(Fl_Widget*, void* data) {
  auto* w = static_cast<widgets*>(data);
  w->ask->hide();
  w->owner->consent_given(true);
}

void on_deny(Fl_Widget*, void* data) {
  auto* w = static_cast<widgets*>(data);
  w->ask->hide();
  w->owner->consent_given(false);
}

void on_close(Fl_Widget*, void* data) {
  static_cast<widgets*>(data)->owner->quit_clicked();
}

} // namespace

window_ui::window_ui(const std::string& display_name)
  : w_(std::make_unique<widgets>()) {
  if (!display_name.empty())
    Fl::display(display_name.c_str());
  Fl::lock(); // FLTK's threading: Fl::awake from other threads
  auto& w = *w_;
  w.owner = this;
  w.main = new Fl_Window(420, 460, "openassist support");
  w.status = new Fl_Box(10, 10, 400, 40, "Connecting…");
  w.status->align(FL_ALIGN_LEFT | FL_ALIGN_INSIDE | FL_ALIGN_WRAP);
  w.control = new Fl_Box(10, 50, 400, 24, "");
  w.control->labelcolor(FL_DARK_RED);
  w.control->align(FL_ALIGN_LEFT | FL_ALIGN_INSIDE);
  w.chat = new Fl_Text_Buffer();
  w.chat_view = new Fl_Text_Display(10, 80, 400, 280);
  w.chat_view->buffer(w.chat);
  w.chat_view->wrap_mode(Fl_Text_Display::WRAP_AT_BOUNDS, 0);
  w.input = new Fl_Input(10, 370, 310, 30);
  w.input->maximum_size(4000);
  w.send = new Fl_Return_Button(330, 370, 80, 30, "Send");
  w.send->callback(on_send, &w);
  w.share = new Fl_Button(10, 415, 190, 32, "Stop sharing");
  w.share->callback(on_share, &w);
  w.share->deactivate();
  w.stop_control = new Fl_Button(220, 415, 190, 32, "Stop control");
  w.stop_control->callback(on_stop_control, &w);
  w.stop_control->deactivate();
  w.main->end();
  w.main->callback(on_close, &w);
  w.ask = new Fl_Window(420, 150, "Allow remote control?");
  w.ask_text = new Fl_Box(10, 10, 400, 80, "");
  w.ask_text->align(FL_ALIGN_LEFT | FL_ALIGN_INSIDE | FL_ALIGN_WRAP);
  auto* allow = new Fl_Button(230, 100, 80, 30, "Allow");
  allow->callback(on_allow, &w);
  auto* deny = new Fl_Button(320, 100, 80, 30, "Deny");
  deny->callback(on_deny, &w);
  w.ask->end();
  w.ask->set_non_modal();
  w.ask->callback(on_deny, &w); // closing the question is a no
}

window_ui::~window_ui() {
  delete w_->ask;
  delete w_->main;
  delete w_->chat;
  Fl::unlock();
}

void window_ui::set_actions(ui_actions a) {
  actions_ = std::move(a);
}

void window_ui::send_chat(const std::string& text) {
  if (actions_.send_chat)
    actions_.send_chat(text);
}
void window_ui::share_clicked(bool on) {
  if (actions_.share)
    actions_.share(on);
}
void window_ui::stop_control_clicked() {
  if (actions_.stop_control)
    actions_.stop_control();
}
void window_ui::consent_given(bool allow) {
  if (actions_.consent)
    actions_.consent(allow);
}
void window_ui::quit_clicked() {
  if (actions_.quit)
    actions_.quit();
}

void window_ui::post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    queue_.push_back(std::move(fn));
  }
  Fl::awake(&window_ui::drain, this);
}

void window_ui::drain(void* self) {
  auto* me = static_cast<window_ui*>(self);
  std::vector<std::function<void()>> jobs;
  {
    std::lock_guard<std::mutex> guard{me->mutex_};
    jobs.swap(me->queue_);
  }
  for (auto& job : jobs)
    job();
}

void window_ui::status(const std::string& text) {
  post([this, text] {
    w_->status_text = text;
    w_->status->label(w_->status_text.c_str());
    w_->main->redraw();
  });
}

void window_ui::chat_line(const std::string& who, const std::string& text) {
  post([this, line = who + ": " + text + "\n"] {
    w_->chat->append(line.c_str());
    w_->chat_view->insert_position(w_->chat->length());
    w_->chat_view->show_insert_position();
  });
}

void window_ui::sharing(bool on) {
  post([this, on] {
    w_->sharing = on;
    w_->share->label(on ? "Stop sharing" : "Share my screen");
    w_->share->activate();
  });
}

void window_ui::controlling(bool on, const std::string& technician) {
  post([this, on, technician] {
    w_->control_text =
      on ? technician + " controls your mouse and keyboard" : "";
    w_->control->label(w_->control_text.c_str());
    if (on)
      w_->stop_control->activate();
    else
      w_->stop_control->deactivate();
    w_->main->redraw();
  });
}

void window_ui::ask_control(const std::string& technician) {
  post([this, technician] {
    w_->ask_label = technician +
                    " asks to control your mouse and keyboard. You can stop "
                    "it at any time with \"Stop control\".";
    w_->ask_text->label(w_->ask_label.c_str());
    w_->ask->position(w_->main->x(), w_->main->y() + w_->main->h() + 40);
    w_->ask->show();
  });
}

void window_ui::cancel_ask() {
  post([this] { w_->ask->hide(); });
}

void window_ui::ended(const std::string& why) {
  post([this, why] {
    w_->ended = true;
    w_->status_text = why;
    w_->status->label(w_->status_text.c_str());
    w_->ask->hide();
    w_->share->deactivate();
    w_->stop_control->deactivate();
    w_->main->redraw();
    // The last word stays in sight for a moment, then the app closes.
    Fl::add_timeout(
      3.0, [](void* main) { static_cast<Fl_Window*>(main)->hide(); }, w_->main);
  });
}

namespace {
// A signal ends the app as the close button does.
void poll_interrupt(void* data) {
  auto* w = static_cast<widgets*>(data);
  if (interrupted() && !w->ended) {
    w->owner->quit_clicked();
    return;
  }
  Fl::repeat_timeout(0.2, poll_interrupt, data);
}
} // namespace

int window_ui::run() {
  w_->main->show();
  Fl::add_timeout(0.2, poll_interrupt, w_.get());
  return Fl::run();
}

} // namespace openassist::agent
