# cmake -DARCHIVE=libfeedback_kiosk_logic.a -P check_no_ui_symbols.cmake
# Fails when the kiosk's logic library references Dear ImGui or SDL: the state
# machine must stay testable without a window (STYLE.md, Layout 3).
execute_process(COMMAND nm -C --undefined-only ${ARCHIVE}
                OUTPUT_VARIABLE symbols RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm ${ARCHIVE} failed: ${err}")
endif()
string(REGEX MATCHALL "[^\n]*(ImGui|ImDraw|ImFont|SDL_)[^\n]*" ui_refs "${symbols}")
if(ui_refs)
  message(FATAL_ERROR "feedback_kiosk_logic references UI symbols:\n${ui_refs}")
endif()
string(LENGTH "${symbols}" n)
if(n LESS 1000)
  message(FATAL_ERROR "nm listed almost nothing for ${ARCHIVE}; is it the right file?")
endif()
message(STATUS "feedback_kiosk_logic: no ImGui/SDL references")
