# Compiler flags shared by every target, and the helpers that add libraries,
# tests, fuzz targets and benchmarks in one line each.

set(FEEDBACK_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wformat=2 -Wimplicit-fallthrough)
if(FEEDBACK_WERROR)
  list(APPEND FEEDBACK_WARNINGS -Werror)
endif()

if(FEEDBACK_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzzing instruments every library (coverage feedback), not only the fuzz executables.
if(FEEDBACK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "FEEDBACK_FUZZ=ON needs clang: configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# Applies the project's warnings to one of our own targets (not to third-party code).
function(feedback_warnings target)
  target_compile_options(${target} PRIVATE ${FEEDBACK_WARNINGS})
endfunction()

# feedback_library(NAME SOURCES ... DEPS ...): a static library under shared/.
function(feedback_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/shared)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  feedback_warnings(${name})
endfunction()

# feedback_test(NAME SOURCES ... DEPS ... [LABELS ...]): one GoogleTest executable,
# registered with CTest test by test. Tests find their data through FEEDBACK_TEST_DATA_DIR.
function(feedback_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main Threads::Threads)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests ${PROJECT_SOURCE_DIR}/tests/shared)
  target_compile_definitions(${name} PRIVATE
      FEEDBACK_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
      FEEDBACK_ASSETS_DIR="${PROJECT_SOURCE_DIR}/assets"
      FEEDBACK_BINARY_DIR="${PROJECT_BINARY_DIR}")
  feedback_warnings(${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 TEST_PREFIX "${name}."
      PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
endfunction()

# feedback_fuzz(NAME SOURCE DEPS ... [MUTATIONS N]): a libFuzzer target when built with
# clang and FEEDBACK_FUZZ=ON. Otherwise the same entry point is linked with a replay
# driver and run by CTest over its seed corpus plus N seeded random mutations (default
# 20000; fewer for targets whose every input is a SQLite transaction), so every fuzz
# target is at least exercised by the normal suite.
function(feedback_fuzz name source)
  cmake_parse_arguments(ARG "" "MUTATIONS" "DEPS" ${ARGN})
  if(NOT ARG_MUTATIONS)
    set(ARG_MUTATIONS 20000)
  endif()
  add_executable(${name} ${source})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  feedback_warnings(${name})
  set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  if(FEEDBACK_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  else()
    target_sources(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
    if(FEEDBACK_BUILD_TESTS)
      add_test(NAME ${name}.replay COMMAND ${name} --mutations=${ARG_MUTATIONS} ${corpus})
      set_tests_properties(${name}.replay PROPERTIES TIMEOUT 300 LABELS fuzz)
    endif()
  endif()
endfunction()

# feedback_bench(NAME SOURCES ... DEPS ...): a Google Benchmark program under bench/.
function(feedback_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark Threads::Threads)
  feedback_warnings(${name})
endfunction()

# feedback_forbid_includes(DIR PATTERN WHY): a layering rule checked at
# configure time - no .h/.cpp file in DIR (not its subfolders) may have an
# #include whose target matches PATTERN (a regex on what follows `<` or `"`).
# WHY completes "it must ..." in the error, naming the rule and where such
# code belongs.
function(feedback_forbid_includes dir pattern why)
  file(GLOB files ${dir}/*.h ${dir}/*.cpp)
  foreach(file ${files})
    file(STRINGS ${file} forbidden REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](${pattern})")
    if(forbidden)
      message(FATAL_ERROR "${file} has a forbidden include (${forbidden}); it must ${why}")
    endif()
  endforeach()
endfunction()

# feedback_forbid_ui_includes(DIR WHAT): the layering rule of STYLE.md (Layout 3):
# no file in DIR may include ImGui, SDL, the UI library or an app's drawing
# code. WHAT names where drawing code belongs.
function(feedback_forbid_ui_includes dir what)
  feedback_forbid_includes(${dir} "imgui|SDL|ui/|view/|backends/"
      "stay free of ImGui and SDL - put drawing code in ${what}")
endfunction()
