#!/usr/bin/env python3
"""Asks every top-level X window named like argv[1] to close, as a window manager's close
button does (a WM_DELETE_WINDOW client message), through libX11 with ctypes."""
import ctypes
import ctypes.util
import sys

x = ctypes.CDLL(ctypes.util.find_library("X11"))
x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XDefaultRootWindow.restype = ctypes.c_ulong
x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                         ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
                         ctypes.POINTER(ctypes.c_uint)]
x.XFetchName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_char_p)]
x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
x.XFlush.argtypes = [ctypes.c_void_p]


class ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class Event(ctypes.Union):
    _fields_ = [("message", ClientMessage), ("pad", ctypes.c_long * 24)]


def windows(display, window):
    root, parent = ctypes.c_ulong(), ctypes.c_ulong()
    children, count = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
    if x.XQueryTree(display, window, ctypes.byref(root), ctypes.byref(parent),
                    ctypes.byref(children), ctypes.byref(count)):
        for i in range(count.value):
            yield children[i]
            yield from windows(display, children[i])


display = x.XOpenDisplay(None)
if not display:
    sys.exit("no X display")
protocols = x.XInternAtom(display, b"WM_PROTOCOLS", 0)
delete = x.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
sent = 0
for w in windows(display, x.XDefaultRootWindow(display)):
    name = ctypes.c_char_p()
    if x.XFetchName(display, w, ctypes.byref(name)) and name.value and sys.argv[1].encode() in name.value:
        event = Event()
        event.message.type = 33  # ClientMessage
        event.message.window = w
        event.message.message_type = protocols
        event.message.format = 32
        event.message.data[0] = delete
        event.message.data[1] = 0  # CurrentTime
        x.XSendEvent(display, w, 0, 0, ctypes.byref(event))
        sent += 1
x.XFlush(display)
print(sent)
sys.exit(0 if sent else 1)
