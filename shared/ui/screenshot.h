// Screenshots of what an SDL_Renderer has drawn, as PNG files: for test artifacts and
// for an operator asking "what is this kiosk showing?". Call between rendering and
// SDL_RenderPresent (AppShell::RequestScreenshot does that). UI thread only.
#pragma once

#include <SDL.h>

#include <string>

#include "core/status.h"

namespace feedback::ui {

// Reads the renderer's current target (SDL_RenderReadPixels) and writes it as an RGBA PNG
// to `path`. Fails with the SDL or file error and the path.
Status SaveRendererPng(SDL_Renderer* renderer, const std::string& path);

// Writes raw RGBA pixels (`width` x `height`, `stride` bytes per row) as a PNG.
Status WriteRgbaPng(const std::string& path, int width, int height, const void* pixels, int stride);

}  // namespace feedback::ui
