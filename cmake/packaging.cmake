# The support app's Debian package (docs/remote-control.md):
#   cpack -G DEB --config build/release/CPackConfig.cmake
# (`make package-agent`) writes openassist-agent_<version>_amd64.deb, which
# the node serves under /downloads/ (--node.downloads-dir).
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL agent)
set(CPACK_PACKAGE_NAME openassist)
set(CPACK_PACKAGE_VENDOR "openassist")
set(CPACK_PACKAGE_CONTACT "openassist maintainers <maintainers@openassist.example>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_AGENT_PACKAGE_NAME openassist-agent)
set(CPACK_DEBIAN_AGENT_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_AGENT_PACKAGE_SECTION net)
set(CPACK_DEBIAN_AGENT_DESCRIPTION
    "openassist support app: lets a support technician see your Linux desktop\n and, only with your consent, use your mouse and keyboard.")
set(CPACK_DEBIAN_AGENT_PACKAGE_DEPENDS
    "libfltk1.3 (>= 1.3.8), libx11-6, libxext6, libxtst6, libjpeg62-turbo, libstdc++6 (>= 12)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
