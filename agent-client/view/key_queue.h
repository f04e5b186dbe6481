// KeyQueue: every key press, in order, with its modifiers, for the agent's keyboard-first
// form - and a "key latch" so that Dear ImGui 1.86 sees every press too.
//
// Why: ImGui 1.86 has no input queue; it samples io.KeysDown once per frame. The app
// shell drains all pending SDL events before each frame, so a key pressed and released
// between two frames (fast typists, xdotool, a busy frame) would never be seen down, and
// io.KeyCtrl is read from SDL's *current* modifier state, so a quick Ctrl+N can arrive
// with Ctrl already released. This filter (installed with SDL_SetEventFilter, chained to
// any earlier filter) fixes both without touching the shell:
//   * it records each KEYDOWN with the event's own modifier bits and arrival time, so the
//     form's shortcuts (Tab, digits, Enter, Esc, Ctrl+N) are handled exactly and in order;
//   * a KEYUP whose KEYDOWN no frame has seen yet is held back, together with every
//     keyboard event after it, and re-queued after the next frame (EndFrame), so ImGui's
//     text fields see at most one complete press per frame and lose none;
//   * after a key that may move the focus (Tab, Enter, Esc, arrows, Ctrl+...), every
//     keyboard event is held back for two frames: the form moves its focus in the first,
//     the newly focused ImGui text field takes the keyboard in the second, and only then
//     do the characters typed after the Tab arrive (else the first ones would be lost).
//
// Threading: SDL calls the filter on the thread that pumps or pushes events - the main
// thread here (SDL video is main-thread only); a mutex still guards the state because
// SDL_PushEvent may be called from other threads (AppShell::WakeFromAnyThread).
// Install once in main, after SDL is initialised; the destructor removes the filter.
#pragma once

#include <SDL.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

namespace feedback::agent {

struct KeyPress {
  SDL_Keycode key = SDLK_UNKNOWN;
  Uint16 mod = 0;       // KMOD_* bits at the time of the press
  bool repeat = false;  // auto-repeat of a held key
  std::chrono::steady_clock::time_point at;

  bool ctrl() const { return (mod & KMOD_CTRL) != 0; }
  bool shift() const { return (mod & KMOD_SHIFT) != 0; }
  bool alt() const { return (mod & (KMOD_ALT | KMOD_GUI)) != 0; }
};

class KeyQueue {
 public:
  static std::unique_ptr<KeyQueue> Install();
  ~KeyQueue();
  KeyQueue(const KeyQueue&) = delete;
  KeyQueue& operator=(const KeyQueue&) = delete;

  // The presses delivered to the app since the last call, oldest first.
  std::vector<KeyPress> TakePresses();

  // Call once after each frame's UI is built: releases the held-back events.
  void EndFrame();

 private:
  KeyQueue() = default;
  static int SDLCALL Filter(void* self, SDL_Event* event);
  int OnEvent(SDL_Event* event);

  std::mutex mutex_;
  SDL_EventFilter previous_ = nullptr;
  void* previous_data_ = nullptr;
  std::set<SDL_Scancode> unseen_down_;  // pressed since the last frame began
  std::vector<SDL_Event> held_;
  bool holding_ = false;
  static constexpr int kFocusSettleFrames = 2;
  int hold_frames_ = 0;  // > 0: holding until that many EndFrame()s have passed
  std::vector<KeyPress> presses_;
};

}  // namespace feedback::agent
