// KeyQueue (view/key_queue.h): which keyboard events each frame gets. Real SDL events
// pushed through SDL's own queue and event filter (only SDL's event subsystem is
// started: no display needed).
#include "view/key_queue.h"

#include <SDL.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace feedback::agent {
namespace {

class KeyQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(SDL_Init(SDL_INIT_EVENTS), 0) << SDL_GetError();
    queue_ = KeyQueue::Install();
  }
  void TearDown() override {
    queue_.reset();
    SDL_Quit();
  }

  static void Key(Uint32 type, SDL_Keycode key, SDL_Scancode scancode) {
    SDL_Event e;
    SDL_zero(e);
    e.type = type;
    e.key.keysym.sym = key;
    e.key.keysym.scancode = scancode;
    SDL_PushEvent(&e);
  }
  static void Press(SDL_Keycode key, SDL_Scancode scancode, const char* text = nullptr) {
    Key(SDL_KEYDOWN, key, scancode);
    if (text != nullptr) {
      SDL_Event e;
      SDL_zero(e);
      e.type = SDL_TEXTINPUT;
      SDL_strlcpy(e.text.text, text, sizeof e.text.text);
      SDL_PushEvent(&e);
    }
    Key(SDL_KEYUP, key, scancode);
  }

  // What one frame sees, as "down Tab", "up Tab", "text a"; then the frame ends.
  std::vector<std::string> Frame() {
    std::vector<std::string> seen;
    SDL_Event e;
    while (SDL_PollEvent(&e) != 0) {
      if (e.type == SDL_KEYDOWN)
        seen.push_back(std::string("down ") + SDL_GetKeyName(e.key.keysym.sym));
      if (e.type == SDL_KEYUP)
        seen.push_back(std::string("up ") + SDL_GetKeyName(e.key.keysym.sym));
      if (e.type == SDL_TEXTINPUT) seen.push_back(std::string("text ") + e.text.text);
    }
    for (const KeyPress& p : queue_->TakePresses()) presses_.push_back(SDL_GetKeyName(p.key));
    queue_->EndFrame();
    return seen;
  }

  std::unique_ptr<KeyQueue> queue_;
  std::vector<std::string> presses_;
};

using Seen = std::vector<std::string>;

// Typing without focus keys: a press and release between two frames is split so that
// ImGui sees the key down in one frame and up in the next; nothing is lost.
TEST_F(KeyQueueTest, QuickPressesReachOneFrameEach) {
  Press(SDLK_a, SDL_SCANCODE_A, "a");
  Press(SDLK_b, SDL_SCANCODE_B, "b");
  EXPECT_EQ(Frame(), (Seen{"down A", "text a"}));
  EXPECT_EQ(Frame(), (Seen{"up A", "down B", "text b"}));
  EXPECT_EQ(Frame(), (Seen{"up B"}));
  EXPECT_EQ(Frame(), Seen{});
  EXPECT_EQ(presses_, (Seen{"A", "B"}));
}

// After Tab the form moves its focus (frame 1), the new text field takes the keyboard
// (frame 2), and only then do the characters typed after the Tab arrive (frame 3): the
// first letter of a story typed straight after Tab is not lost.
TEST_F(KeyQueueTest, TextAfterTabWaitsTwoFrames) {
  Press(SDLK_TAB, SDL_SCANCODE_TAB);
  Press(SDLK_l, SDL_SCANCODE_L, "L");
  Press(SDLK_u, SDL_SCANCODE_U, "u");
  EXPECT_EQ(Frame(), (Seen{"down Tab"}));
  EXPECT_EQ(Frame(), Seen{});
  EXPECT_EQ(Frame(), (Seen{"up Tab", "down L", "text L"}));
  EXPECT_EQ(Frame(), (Seen{"up L", "down U", "text u"}));
  EXPECT_EQ(Frame(), (Seen{"up U"}));
  EXPECT_EQ(presses_, (Seen{"Tab", "L", "U"}));
}

// Two Tabs in a row: each one gets its two frames, in order.
TEST_F(KeyQueueTest, EveryFocusKeyGetsItsFrames) {
  Press(SDLK_TAB, SDL_SCANCODE_TAB);
  Press(SDLK_RETURN, SDL_SCANCODE_RETURN);
  Press(SDLK_x, SDL_SCANCODE_X, "x");
  EXPECT_EQ(Frame(), (Seen{"down Tab"}));
  EXPECT_EQ(Frame(), Seen{});
  EXPECT_EQ(Frame(), (Seen{"up Tab", "down Return"}));
  EXPECT_EQ(Frame(), Seen{});
  EXPECT_EQ(Frame(), (Seen{"up Return", "down X", "text x"}));
  EXPECT_EQ(Frame(), (Seen{"up X"}));
  EXPECT_EQ(presses_, (Seen{"Tab", "Return", "X"}));
}

}  // namespace
}  // namespace feedback::agent
