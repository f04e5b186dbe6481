#include "view/key_queue.h"

namespace feedback::agent {
namespace {

bool IsKeyboardEvent(Uint32 type) {
  return type == SDL_KEYDOWN || type == SDL_KEYUP || type == SDL_TEXTINPUT ||
         type == SDL_TEXTEDITING;
}

// Keys after which the form may give the keyboard to another text field (Tab, Enter
// logs and starts a new log, Esc clears, Ctrl+N, arrows leaving a score field).
bool MayMoveFocus(const SDL_Keysym& key) {
  switch (key.sym) {
    case SDLK_TAB:
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_ESCAPE:
    case SDLK_UP:
    case SDLK_DOWN:
      return true;
    default:
      return (key.mod & KMOD_CTRL) != 0 && key.sym != SDLK_LCTRL && key.sym != SDLK_RCTRL;
  }
}

}  // namespace

std::unique_ptr<KeyQueue> KeyQueue::Install() {
  std::unique_ptr<KeyQueue> queue(new KeyQueue());
  SDL_GetEventFilter(&queue->previous_, &queue->previous_data_);
  SDL_SetEventFilter(&KeyQueue::Filter, queue.get());
  return queue;
}

KeyQueue::~KeyQueue() { SDL_SetEventFilter(previous_, previous_data_); }

int SDLCALL KeyQueue::Filter(void* self, SDL_Event* event) {
  return static_cast<KeyQueue*>(self)->OnEvent(event);
}

int KeyQueue::OnEvent(SDL_Event* event) {
  if (previous_ != nullptr && previous_(previous_data_, event) == 0) return 0;
  if (!IsKeyboardEvent(event->type)) return 1;
  std::lock_guard<std::mutex> lock(mutex_);
  if (holding_) {
    held_.push_back(*event);
    return 0;
  }
  if (event->type == SDL_KEYUP && unseen_down_.contains(event->key.keysym.scancode)) {
    holding_ = true;
    held_.push_back(*event);
    return 0;
  }
  if (event->type == SDL_KEYDOWN) {
    unseen_down_.insert(event->key.keysym.scancode);
    KeyPress press;
    press.key = event->key.keysym.sym;
    press.mod = event->key.keysym.mod;
    press.repeat = event->key.repeat != 0;
    press.at = std::chrono::steady_clock::now();
    presses_.push_back(press);
    if (MayMoveFocus(event->key.keysym)) {
      // What is typed next belongs to the field the focus moves to, and that field has
      // the keyboard only from the frame after the one that moves the focus.
      holding_ = true;
      hold_frames_ = kFocusSettleFrames;
    }
  }
  return 1;
}

std::vector<KeyPress> KeyQueue::TakePresses() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<KeyPress> out;
  out.swap(presses_);
  return out;
}

void KeyQueue::EndFrame() {
  std::vector<SDL_Event> release;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    unseen_down_.clear();
    if (hold_frames_ > 1) {
      --hold_frames_;
      return;
    }
    hold_frames_ = 0;
    holding_ = false;
    release.swap(held_);
  }
  // Re-queued through the filter again (without the lock held), in their original order;
  // the next held-back KEYUP starts holding again.
  for (SDL_Event& event : release) SDL_PushEvent(&event);
}

}  // namespace feedback::agent
