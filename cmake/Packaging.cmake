# Debian packages (CPack DEB generator, one package per component), included at the end
# of the top-level CMakeLists.txt. installers/build-packages.sh is the way to run it;
# docs/deploy.md is the operator's manual for what the packages install.
#
#   feedback-common   (all)  the `feedback` system user, /etc/feedback, /var/lib/feedback,
#                            /usr/share/feedback/assets (surveys, branding, kiosk theme, fonts)
#   feedback-central         the central store server + feedback-central.service
#   feedback-sync            the device sync daemon + feedback-sync.service
#   feedback-kiosk           the touch kiosk + feedback-kiosk.service (cage on tty1)
#   feedback-agent           the rep's call-log window + a desktop entry and the per-rep
#                            sync user unit (feedback-agent-sync.service)
#
# The executables' own CMakeLists already say `install(TARGETS ... DESTINATION bin)`
# without a component (the "Unspecified" component, left out of the packages below);
# here each target is installed once more into its package's component.

include(GNUInstallDirs)

set(FEEDBACK_PACKAGE_ASSETS_DIR "/usr/share/feedback/assets")
set(feedback_installers_dir "${PROJECT_SOURCE_DIR}/installers")

# --- what goes into each package ---------------------------------------------------
set(feedback_package_targets
    central feedback-central
    sync    feedback-sync
    kiosk   feedback-kiosk
    agent   feedback-agent)
set(feedback_packaged_components common)
set(feedback_packaged_executables "")
while(feedback_package_targets)
  list(POP_FRONT feedback_package_targets component target)
  if(TARGET ${target})
    install(TARGETS ${target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ${component})
    list(APPEND feedback_packaged_components ${component})
    list(APPEND feedback_packaged_executables ${target})
  else()
    message(STATUS "Packaging: target ${target} does not exist; no feedback-${component} package")
  endif()
endwhile()
# installers/build-packages.sh builds exactly these before running cpack.
string(REPLACE ";" "\n" feedback_packaged_lines "${feedback_packaged_executables}")
file(WRITE "${PROJECT_BINARY_DIR}/feedback-packaged-targets.txt" "${feedback_packaged_lines}\n")

# feedback-common: the assets every app reads (the dashboard pages: feedback-central
# serves /usr/share/feedback/assets/dashboard when it exists). Folders only if present.
foreach(sub surveys branding fonts kiosk dashboard)
  if(EXISTS "${PROJECT_SOURCE_DIR}/assets/${sub}")
    install(DIRECTORY "${PROJECT_SOURCE_DIR}/assets/${sub}"
            DESTINATION share/feedback/assets COMPONENT common
            PATTERN "*.md" EXCLUDE)
  endif()
endforeach()

# The manuals (docs/deploy.md first), for the units' Documentation= lines.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION share/doc/feedback-common
        COMPONENT common FILES_MATCHING PATTERN "*.md")

# Config (conffiles under /etc), units (/usr/lib/systemd), per component.
# CPACK_PACKAGING_INSTALL_PREFIX is /usr, so /etc needs an absolute destination.
install(FILES "${feedback_installers_dir}/deb/central/central.conf"
        DESTINATION /etc/feedback COMPONENT central)
install(FILES "${feedback_installers_dir}/systemd/feedback-central.service"
        DESTINATION lib/systemd/system COMPONENT central)

install(FILES "${feedback_installers_dir}/deb/sync/sync.conf"
        DESTINATION /etc/feedback COMPONENT sync)
install(FILES "${feedback_installers_dir}/systemd/feedback-sync.service"
        DESTINATION lib/systemd/system COMPONENT sync)

install(FILES "${feedback_installers_dir}/deb/kiosk/kiosk.conf"
        DESTINATION /etc/feedback COMPONENT kiosk)
install(FILES "${feedback_installers_dir}/systemd/feedback-kiosk.service"
        DESTINATION lib/systemd/system COMPONENT kiosk)

install(FILES "${feedback_installers_dir}/systemd/feedback-agent-sync.service"
        DESTINATION lib/systemd/user COMPONENT agent)
install(FILES "${feedback_installers_dir}/deb/agent/feedback-agent.desktop"
        DESTINATION share/applications COMPONENT agent)
install(PROGRAMS "${feedback_installers_dir}/deb/agent/feedback-agent-launch"
        DESTINATION libexec/feedback COMPONENT agent)

# cpack (and `make install`) would otherwise first build *everything*, the test suite
# included; build-packages.sh builds exactly the packaged executables instead.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# --- CPack --------------------------------------------------------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "feedback")
set(CPACK_PACKAGE_VENDOR "feedback project")
set(CPACK_PACKAGE_CONTACT "Feedback operators <feedback@localhost>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${feedback_packaged_components})  # not "Unspecified"
set(CPACK_COMPONENTS_GROUPING IGNORE)                     # one package per component
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)                   # name_version_arch.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE "1" CACHE STRING "Debian revision of the packages")
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)                    # dpkg-shlibdeps: the libraries
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)    # maintainer scripts 0755
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://localhost/feedback")

set(feedback_version_dep "(= ${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE})")
set(feedback_base_depends "adduser, passwd, init-system-helpers (>= 1.54)")

# Per package: name, description, explicit Depends (shlibdeps adds the libraries),
# maintainer scripts (+ conffiles).
macro(feedback_deb component name summary)
  string(TOUPPER ${component} C)
  set(CPACK_DEBIAN_${C}_PACKAGE_NAME "${name}")
  set(CPACK_DEBIAN_${C}_FILE_NAME DEB-DEFAULT)
  set(CPACK_COMPONENT_${C}_DESCRIPTION "${summary}")
  set(extra "")
  foreach(script postinst prerm postrm conffiles)
    if(EXISTS "${feedback_installers_dir}/deb/${component}/${script}")
      list(APPEND extra "${feedback_installers_dir}/deb/${component}/${script}")
    endif()
  endforeach()
  set(CPACK_DEBIAN_${C}_PACKAGE_CONTROL_EXTRA "${extra}")
endmacro()

feedback_deb(common feedback-common
  "Customer feedback: system user, directories and shared assets\nCreates the 'feedback' system user, /etc/feedback and /var/lib/feedback (0750),\nand installs the survey definitions, branding and kiosk theme under\n/usr/share/feedback/assets.")
set(CPACK_DEBIAN_COMMON_PACKAGE_ARCHITECTURE "all")
set(CPACK_DEBIAN_COMMON_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_COMMON_PACKAGE_DEPENDS "${feedback_base_depends}")

feedback_deb(central feedback-central
  "Customer feedback: central store server\nReceives signed, sealed batches from kiosks and agent desktops over HTTPS,\nstores them in SQLite and serves the device API (feedback-central.service).")
# cracklib-runtime: the dictionary libpwquality checks dashboard passwords against.
set(CPACK_DEBIAN_CENTRAL_PACKAGE_DEPENDS "feedback-common ${feedback_version_dep}, openssl, cracklib-runtime")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_SUGGESTS "sqlite3, nftables")

feedback_deb(sync feedback-sync
  "Customer feedback: device sync daemon\nEnrolls a kiosk or agent desktop with the central store and uploads its\ncaptured records (feedback-sync.service).")
set(CPACK_DEBIAN_SYNC_PACKAGE_DEPENDS "feedback-common ${feedback_version_dep}")

feedback_deb(kiosk feedback-kiosk
  "Customer feedback: full-screen touch kiosk\nThe retail survey kiosk (SDL2 + Dear ImGui). feedback-kiosk.service starts it\nfull screen on tty1 under the cage compositor and restarts it if it dies.")
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "feedback-common ${feedback_version_dep}, feedback-sync ${feedback_version_dep}, fonts-dejavu-core | fonts-noto-core")
set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "cage, xwayland")

feedback_deb(agent feedback-agent
  "Customer feedback: call-center rep's call-log window\nKeyboard-first call-log form (SDL2 + Dear ImGui); each rep's desktop account is\none device, synced by the user unit feedback-agent-sync.service.")
set(CPACK_DEBIAN_AGENT_PACKAGE_DEPENDS
    "feedback-common ${feedback_version_dep}, feedback-sync ${feedback_version_dep}, fonts-dejavu-core | fonts-noto-core")

include(CPack)
