"""gitlab"""
