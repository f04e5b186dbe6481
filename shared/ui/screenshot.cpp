#include "ui/screenshot.h"

#include <stb_image_write.h>

#include <vector>

namespace feedback::ui {

Status WriteRgbaPng(const std::string& path, int width, int height, const void* pixels,
                    int stride) {
  if (width <= 0 || height <= 0 || pixels == nullptr) {
    return Status::InvalidArgument("screenshot " + path + ": empty image");
  }
  if (stbi_write_png(path.c_str(), width, height, 4, pixels, stride) == 0) {
    return Status::IoError("screenshot: cannot write " + path +
                           " (does the directory exist and is it writable?)");
  }
  return Status::Ok();
}

Status SaveRendererPng(SDL_Renderer* renderer, const std::string& path) {
  int width = 0;
  int height = 0;
  if (SDL_GetRendererOutputSize(renderer, &width, &height) != 0) {
    return Status::Internal(std::string("screenshot: SDL_GetRendererOutputSize: ") +
                            SDL_GetError());
  }
  if (width <= 0 || height <= 0) return Status::InvalidArgument("screenshot: window has no pixels");
  const int stride = width * 4;
  std::vector<unsigned char> pixels(static_cast<size_t>(stride) * static_cast<size_t>(height));
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGBA32, pixels.data(), stride) != 0) {
    return Status::Internal(std::string("screenshot: SDL_RenderReadPixels: ") + SDL_GetError());
  }
  // SDL reads back whatever alpha the target holds; a screenshot should be opaque.
  for (size_t i = 3; i < pixels.size(); i += 4) pixels[i] = 255;
  return WriteRgbaPng(path, width, height, pixels.data(), stride);
}

}  // namespace feedback::ui
